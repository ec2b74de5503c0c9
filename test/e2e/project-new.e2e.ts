import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { Manifest, validateManifests } from '../helpers/schema';

/**
 * `npx projen new --from <tarball>` end to end: packs nothing itself (the
 * `project-e2e` task runs after `package`), creates a repository in an empty
 * directory, runs that repository's build and checks what it produced.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-e2e-'));
const app = path.join(work, 'shop');

function filesUnder(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)).sort();
}

function manifests(file: string): Manifest[] {
  return Yaml.load(file).filter((doc: Manifest | null) => doc);
}

beforeAll(() => {
  execFileSync('bash', [path.join(__dirname, 'project-new.sh'), work], { stdio: 'inherit' });
}, 1_500_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the build synthesized CloudFormation for the primary, the recovery region and the standby', () => {
  const template = (stack: string) => JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', `${stack}.template.json`), 'utf8'));
  const types = (stack: string): string[] => Object.values<{ Type: string }>(template(stack).Resources).map((r) => r.Type);
  expect(types('shop-platform')).toContain('AWS::EKS::Cluster');
  expect(types('shop-platform')).toContain('AWS::Backup::BackupVault');
  expect(types('shop-platform-standby')).toContain('AWS::EKS::Cluster');
  expect(types('shop-recovery-region')).toContain('AWS::Backup::BackupVault');
});

test('gitops/ holds, per region, the ArgoCD apps, the NodePool and the services, all schema-valid', () => {
  for (const region of ['eu-west-1', 'eu-central-1']) {
    const dir = path.join(app, 'gitops', region);
    const files = filesUnder(dir, '.yaml').map((f) => path.relative(dir, f));
    expect(files).toEqual(['apps.k8s.yaml', 'platform/platform.k8s.yaml', 'services/api/api.k8s.yaml']);
    const objects = files.flatMap((f) => manifests(path.join(dir, f)));
    validateManifests(objects);
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Application/platform-objects', 'ApplicationSet/services', 'NodePool/services',
      'Deployment/api', 'PodDisruptionBudget/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api']));
    // The root Application of the region syncs gitops/<region>; its children point below it.
    const platformApp = objects.find((o) => o.kind === 'Application')!;
    expect(platformApp.spec.source.path).toBe(`gitops/${region}/platform`);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.namespace).toBe('api');
    expect(deployment.spec.template.spec.containers[0].image).toBe(`111122223333.dkr.ecr.${region}.amazonaws.com/shop/api:0.1.0`);
    // Backups are the platform's (its services schedule covers every service namespace): Git holds no second schedule.
    expect(objects.filter((o) => o.kind === 'Schedule')).toEqual([]);
  }
});

test('the build proved every claim of each region with the resilience report', () => {
  for (const region of ['eu-west-1', 'eu-central-1']) {
    const report = JSON.parse(fs.readFileSync(path.join(app, 'resilience-report', `${region}.json`), 'utf8'));
    expect(report.rows.filter((row: any) => row.status === 'FAIL')).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.rows.filter((row: any) => row.subject === 'api/Deployment/api').map((row: any) => row.id))
      .toEqual(['zone-loss', 'zone-rebalance', 'node-loss', 'rollout-no-drop', 'voluntary-disruption', 'cost-cross-zone']);
  }
});

test('the runbooks were written with the platform\'s names', () => {
  const runbooks = filesUnder(path.join(app, 'runbooks'), '.md');
  expect(runbooks.length).toBeGreaterThan(0);
  for (const file of runbooks) expect(fs.readFileSync(file, 'utf8')).toContain('shop');
});

test('the generated repo depends on the library from the tarball and keeps its samples', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
  expect(pkg.dependencies['resilient-eks']).toMatch(/^file:.*resilient-eks@.*\.tgz$/);
  expect(pkg.devDependencies.projen).toBeDefined();
  expect(fs.readFileSync(path.join(app, '.projenrc.ts'), 'utf8')).toContain('new ResilientEksAppProject(');
  for (const workflow of ['build', 'gitops-drift', 'images', 'deploy']) expect(fs.existsSync(path.join(app, '.github/workflows', `${workflow}.yml`))).toBe(true);
});
