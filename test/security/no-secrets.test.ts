import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { ShopPlatformStack } from '../../examples/platform/platform-stack';
import { ShopChart } from '../../examples/shop/shop-chart';
import { findSecretsIn, findSecretsInDirectory } from '../helpers/secret-scanner';

describe('nothing secret reaches synthesized output', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-secrets-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('the example platform (with GitOps and repository credentials) and the shop YAML hold no secret value', () => {
    const platform = new App({ outdir: path.join(outdir, 'cdk'), context: { 'aws:cdk:disable-asset-staging': true } });
    new ShopPlatformStack(platform, 'ShopPlatform');
    platform.synth();
    const services = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
    new ShopChart(services, 'shop', { namespace: 'shop' });
    services.synth();

    expect(findSecretsInDirectory(outdir)).toEqual([]);
    // The credentials are referenced by name only.
    expect(fs.readFileSync(path.join(outdir, 'cdk', 'ShopPlatform.template.json'), 'utf8')).toContain('shop/argocd/repository');
  });

  test('the scanner finds secrets planted in real output: a Kubernetes Secret in YAML, and one embedded in a CloudFormation manifest', () => {
    const planted = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-planted-'));
    try {
      const services = new cdk8s.App({ outdir: path.join(planted, 'k8s') });
      const chart = new cdk8s.Chart(services, 'leak');
      new k8s.KubeSecret(chart, 'Db', { metadata: { name: 'db' }, stringData: { password: 'hunter22/with-slash' } });
      services.synth();
      const app = new App({ outdir: path.join(planted, 'cdk') });
      const stack = new Stack(app, 'Leak');
      new CfnResource(stack, 'Manifest', {
        type: 'Custom::Manifest',
        properties: { Manifest: JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', data: { api_key: 'abc123', url: 'https://deploy:s3cr3t@git.example.com/r.git' } }]) },
      });
      app.synth();
      const findings = findSecretsInDirectory(planted).join('\n');
      expect(findings).toMatch(/leak\.k8s\.yaml.*a Secret with stringData password/);
      expect(findings).toMatch(/Leak\.template\.json.*value of "api_key"/);
      expect(findings).toMatch(/Leak\.template\.json.*credentials in a URL/);
    } finally {
      fs.rmSync(planted, { recursive: true, force: true });
    }
  });

  test.each([
    ['AWS access key ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['private key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghij'],
    ['credentials in a URL', 'https://TOKEN@github.com/example/repo.git'],
  ])('the scanner recognises a %s', (kind, value) => {
    expect(findSecretsIn({ some: { nested: [value] } }).join()).toContain(kind);
  });

  test('secret names, references and the ArgoCD cluster secret are not findings', () => {
    expect(findSecretsIn({
      secretRef: { name: 'payments-aws-secrets' },
      secretKey: 'db',
      dataFrom: [{ extract: { key: 'shop/payments/db' } }],
      repoUrl: 'git@github.com:example/repo.git',
      cluster: { kind: 'Secret', stringData: { name: 'in-cluster', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}' } },
    })).toEqual([]);
  });
});
