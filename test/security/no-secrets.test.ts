import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { ShopPlatformStack } from '../../examples/platform/platform-stack';
import { ShopChart } from '../../examples/shop/shop-chart';
import { findSecrets } from '../helpers/secret-scanner';

/** Every file under a directory, as text. */
function readAll(dir: string): Array<[string, string]> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return readAll(file);
    return /\.(json|ya?ml)$/.test(entry.name) ? [[file, fs.readFileSync(file, 'utf8')] as [string, string]] : [];
  });
}

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

    const files = readAll(outdir);
    expect(files.length).toBeGreaterThan(2);
    const findings = files.flatMap(([file, text]) => findSecrets(text).map((finding) => `${path.relative(outdir, file)}: ${finding}`));
    expect(findings).toEqual([]);
    // The credentials are referenced by name only.
    expect(files.some(([, text]) => text.includes('shop/argocd/repository'))).toBe(true);
  });

  test.each([
    ['AKIAIOSFODNN7EXAMPLE'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['"password": "hunter22"'],
    ['https://deploy:s3cr3t@github.com/example/repo.git'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ])('the scanner catches %s', (planted) => {
    expect(findSecrets(`{"x": 1, ${JSON.stringify(planted)}: 2}`).length + findSecrets(planted).length).toBeGreaterThan(0);
  });
});
