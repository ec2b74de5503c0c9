import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failing, reportOf, row, synthesizeExample } from './example-output';
import { ResilienceReport, RowStatus } from '../../src';
import { ReportInputError, readManifestFiles, readManifests } from '../../src/report/private/inputs';

/** A temporary directory holding the given files (path relative to it: content). */
function tree(files: { [file: string]: string }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'report-inputs-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: b\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers: [{ name: api, image: api }]\n';

describe('the platform stacks the report reads', () => {
  const example = synthesizeExample();
  const cluster = (stack: any) => Object.values<any>(stack.template.Resources).find((r) => r.Type === 'AWS::EKS::Cluster');

  test.each([
    ['imported and split', { 'Fn::Split': [',', { 'Fn::ImportValue': 'network-PrivateSubnetIds' }] }],
    ['a parameter', { Ref: 'PrivateSubnetIds' }],
  ])('a cluster whose subnets are %s has unknown zones instead of crashing the report', (_, subnetIds) => {
    const report = reportOf(example, (copy) => {
      for (const stack of copy.stacks.filter((s) => cluster(s))) cluster(stack).Properties.ResourcesVpcConfig.SubnetIds = subnetIds;
    });
    expect(row(report, 'zonal-egress', 'ShopPlatform').arithmetic).toContain('for 0 cluster zone(s)');
  });
});

describe('manifest files the report reads', () => {
  test('skips empty documents, and in a directory what is not a Kubernetes manifest, saying why for YAML that is not one', () => {
    const root = tree({
      'apps/a.yaml': `---\n---\n${CONFIG_MAP}---\n\n---\n`,
      'apps/README.md': '# the shop\nDeployments live here.\n',
      'apps/notes.txt': 'kind: nothing',
      'apps/renovate.json': '{ "extends": ["config:base"] }',
      'apps/values.yaml': 'replicas: 3\n',
    });
    const { objects, skipped } = readManifestFiles([root]);
    expect(objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(['ConfigMap/settings']);
    expect(skipped).toEqual([
      { path: path.join(root, 'apps/renovate.json'), reason: expect.stringContaining('document(s) 1 are not Kubernetes objects') },
      { path: path.join(root, 'apps/values.yaml'), reason: expect.stringContaining('document(s) 1 are not Kubernetes objects') },
    ]);
  });

  test('a file given by path must hold Kubernetes objects: prose or other YAML is an error', () => {
    const root = tree({ 'README.md': 'The manifests are generated.\n', 'values.yaml': 'replicas: 3\n' });
    expect(() => readManifestFiles([path.join(root, 'README.md')])).toThrow(/README.md: document 1 is not a Kubernetes object/);
    expect(() => readManifestFiles([path.join(root, 'values.yaml')])).toThrow(ReportInputError);
  });

  test('a kustomization is not rendered: skipped with the command that renders it, wherever it is found', () => {
    const root = tree({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\nnamePrefix: prod-\n',
      'base/deployment.yaml': DEPLOYMENT,
      'component/extra.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: []\n',
      'plain/settings.yaml': CONFIG_MAP,
    });
    const { objects, skipped } = readManifestFiles([root]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['settings']);
    expect(skipped).toEqual([
      { path: path.join(root, 'base'), reason: 'a kustomization is not rendered', fix: `run \`kustomize build ${path.join(root, 'base')}\` and pass its output` },
      expect.objectContaining({ path: path.join(root, 'component/extra.yaml'), reason: 'a kustomization is not rendered' }),
    ]);
    const explicit = readManifestFiles([path.join(root, 'base/kustomization.yaml')]).skipped;
    expect(explicit).toEqual([expect.objectContaining({ path: path.join(root, 'base/kustomization.yaml'), fix: expect.stringContaining(`kustomize build ${path.join(root, 'base')}`) })]);
  });

  test('a Helm chart or template is not rendered: skipped; quoted and block-scalar {{ }} are data and read', () => {
    const root = tree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
      'chart/values.yaml': 'replicas: 3\n',
      'chart/templates/deployment.yaml': '{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
      'loose/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "api.fullname" . }}\n',
      'data/appset.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\nspec:\n' +
        '  template:\n    spec:\n      destination:\n        namespace: \'{{.path.basename}}\'\n',
      'data/rules.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules # {{ not a template }}\ndata:\n  alerts.yaml: |\n' +
        '    summary: {{ $labels.instance }} is down\n    {{ range . }}x{{ end }}\n',
    });
    const { objects, skipped } = readManifestFiles([root]);
    expect(objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(['ApplicationSet/apps', 'ConfigMap/rules']);
    expect(skipped).toEqual([
      { path: path.join(root, 'chart'), reason: 'a Helm chart is not rendered', fix: `run \`helm template ${path.join(root, 'chart')}\` and pass its output` },
      { path: path.join(root, 'loose/service.yaml'), reason: 'a Helm (Go) template is not rendered', fix: expect.stringContaining('helm template') },
    ]);
  });

  test('an object the API server names (metadata.generateName) is read with that prefix as its name', () => {
    const root = tree({ 'api.yaml': DEPLOYMENT.replace('  name: api\n', '  generateName: api-\n') });
    const { objects } = readManifestFiles([root]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['api-']);
    const report = ResilienceReport._fromInputs([], objects, []);
    expect(report.rows.filter((r) => r.id === 'zone-loss').map((r) => r.subject)).toEqual(['shop/Deployment/api-']);
  });

  test('a broken symbolic link in a directory is an input error naming the file and what was expected', () => {
    const root = tree({ 'settings.yaml': CONFIG_MAP });
    fs.symlinkSync(path.join(root, 'gone.yaml'), path.join(root, 'link.yaml'));
    expect(() => readManifestFiles([root])).toThrow(new ReportInputError(
      `${path.join(root, 'link.yaml')}: cannot be read: a symbolic link to ${path.join(root, 'gone.yaml')}, which does not exist ` +
      '(expected a Kubernetes manifest file or a directory of them)'));
  });

  test('a symbolic link back up the tree is read once, and a cloud assembly among the manifests is not read as manifests', () => {
    const root = tree({ 'apps/settings.yaml': CONFIG_MAP, 'cdk.out/manifest.json': '{ "version": "40.0.0", "artifacts": {} }', 'cdk.out/Stack.template.json': '{}' });
    fs.symlinkSync(root, path.join(root, 'apps', 'loop'));
    const { objects, skipped } = readManifestFiles([root]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['settings']);
    expect(skipped).toEqual([{ path: path.join(root, 'cdk.out'), reason: expect.stringContaining('a cloud assembly') }]);
  });

  test('readManifests, which cannot report a skipped input, refuses a kustomization rather than judge without it', () => {
    const root = tree({ 'kustomization.yaml': 'resources: []\n' });
    expect(() => readManifests([root])).toThrow(/a kustomization is not rendered; run `kustomize build/);
  });
});

describe('the input-coverage row', () => {
  const root = tree({ 'app/kustomization.yaml': 'resources: [deployment.yaml]\n', 'app/deployment.yaml': DEPLOYMENT, 'settings.yaml': CONFIG_MAP });

  test('fails for each input the report could not judge, naming it and the command that renders it', () => {
    const report = ResilienceReport.fromSynthesized({ manifestPaths: [root] });
    expect(failing(report)).toContain(`input-coverage ${path.join(root, 'app')}`);
    const coverage = row(report, 'input-coverage', path.join(root, 'app'));
    expect(coverage.arithmetic).toContain('a kustomization is not rendered, so the Deployments, budgets and Services it renders are in no row');
    expect(coverage.fix).toContain(`run \`kustomize build ${path.join(root, 'app')}\` and pass its output instead`);
    expect(report.rows[0]).toBe(coverage);
  });

  test('can be accepted, and then shows as accepted, not passed', () => {
    const report = ResilienceReport.fromSynthesized({
      manifestPaths: [root], acceptances: [{ rowId: 'input-coverage', reason: 'the kustomization is judged in its own repository' }],
    });
    expect(row(report, 'input-coverage', path.join(root, 'app')).status).toBe(RowStatus.ACCEPTED);
  });

  test('is absent when every input was read', () => {
    expect(ResilienceReport.fromSynthesized({ manifestPaths: [path.join(root, 'settings.yaml')] }).rows.filter((r) => r.id === 'input-coverage')).toEqual([]);
  });
});
