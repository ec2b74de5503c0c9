import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { PlatformProfile, RecoveryStrategy, ResilientEksAppProject, ResilientEksAppProjectOptions } from '../../src';

type Files = { [file: string]: any };

function synth(options: Partial<ResilientEksAppProjectOptions> = {}): { project: ResilientEksAppProject; files: Files } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-app-'));
  const project = new ResilientEksAppProject({ name: 'shop', defaultReleaseBranch: 'main', outdir, ...options });
  return { project, files: Testing.synth(project) };
}

function task(files: Files, name: string): { steps: Array<{ exec?: string; spawn?: string }> } {
  return files['.projen/tasks.json'].tasks[name];
}

const SAMPLES = ['src/main.ts', 'src/platform.ts', 'src/runbooks.ts', 'src/gitops/main.ts', 'src/gitops/platform-charts.ts',
  'src/gitops/service-chart.ts', 'src/gitops/image-tags.json', 'test/main.test.ts', 'README.md'];
const MANAGED = ['src/app-config.generated.ts', '.github/workflows/gitops-drift.yml', '.github/workflows/images.yml', '.github/workflows/deploy.yml',
  '.github/workflows/build.yml', 'package.json', 'cdk.json'];

describe('defaults', () => {
  const { project, files } = synth();
  const config: string = files['src/app-config.generated.ts'];

  test('writes the samples once and marks only the managed files as projen\'s', () => {
    for (const file of [...SAMPLES, ...MANAGED, 'services/api/Dockerfile', 'services/api/www/healthz']) expect(Object.keys(files)).toContain(file);
    const generated: string[] = files['.projen/files.json'].files;
    for (const file of MANAGED.filter((f) => f !== 'package.json')) expect(generated).toContain(file);
    for (const file of SAMPLES) expect(generated).not.toContain(file);
    expect(project.gitopsTask.name).toBe('gitops');
  });

  test('configures a pilot light in eu-central-1 for a primary in eu-west-1, with named zones and no lookup', () => {
    expect(project.regions).toEqual(['eu-west-1', 'eu-central-1']);
    expect(project.clusterName).toBe('shop');
    expect(config).toContain('availabilityZones: {\n    \'eu-west-1\': [\'eu-west-1a\', \'eu-west-1b\', \'eu-west-1c\'],');
    expect(config).toContain('disasterRecovery: { rpoMinutes: 60, rtoMinutes: 60, strategy: RecoveryStrategy.PILOT_LIGHT, retentionDays: 35 }');
    expect(config).toContain('\'eu-central-1\': \'111122223333.dkr.ecr.eu-central-1.amazonaws.com/shop/api\'');
    expect(files['src/gitops/image-tags.json']).toEqual({ api: '0.1.0' });
  });

  test('depends on the library, cdk8s and the aws-cdk-lib the library needs', () => {
    const pkg = files['package.json'];
    expect(pkg.dependencies['resilient-eks']).toMatch(/^\^/);
    expect(pkg.dependencies.cdk8s).toBe('^2.70.0');
    expect(pkg.dependencies['cdk8s-plus-33']).toBe('^2.5.1');
    expect(pkg.dependencies['aws-cdk-lib']).toBe('^2.263.0');
    expect(pkg.devDependencies['resilient-eks']).toBeUndefined();
  });

  test('the generated code imports the library by its package name only', () => {
    for (const file of SAMPLES.filter((f) => f.endsWith('.ts')).concat('src/app-config.generated.ts')) {
      const imports = [...(files[file] as string).matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((m) => m.includes('resilient-eks'))).toEqual(imports.filter((m) => m === 'resilient-eks'));
    }
  });

  test('the build renders gitops/ and runbooks/, and gitops:check fails on drift', () => {
    expect(task(files, 'gitops').steps).toEqual([{ exec: 'ts-node --project test/tsconfig.json src/gitops/main.ts' }]);
    expect(task(files, 'post-compile').steps.map((s) => s.spawn)).toEqual(expect.arrayContaining(['synth:silent', 'gitops', 'runbooks']));
    const check = task(files, 'gitops:check').steps;
    expect(check.slice(0, 2)).toEqual([{ spawn: 'gitops' }, { spawn: 'runbooks' }]);
    expect(check[2].exec).toContain('git diff --exit-code -- gitops runbooks');
  });

  test('the build then computes the resilience report of what it synthesized, per region, and fails on a false claim', () => {
    expect(task(files, 'post-compile').steps.map((s) => s.spawn).filter((s) => s)).toEqual(['synth:silent', 'gitops', 'runbooks', 'resilience-report']);
    expect(task(files, 'resilience-report').steps).toEqual([
      { exec: 'mkdir -p resilience-report' },
      { exec: 'resilient-eks report cdk.out gitops/eu-west-1 --markdown resilience-report/eu-west-1.md --json resilience-report/eu-west-1.json' },
      { exec: 'resilient-eks report cdk.out gitops/eu-central-1 --markdown resilience-report/eu-central-1.md --json resilience-report/eu-central-1.json' },
    ]);
    expect(files['.gitignore']).toContain('/resilience-report/');
  });

  test('synth is offline: no telemetry and no notices', () => {
    expect(files['cdk.json'].context['cli-telemetry']).toBe(false);
    expect(files['cdk.json'].notices).toBe(false);
  });

  test('workflows: OIDC roles from repository variables, no secrets, an approval before deploys', () => {
    const images: string = files['.github/workflows/images.yml'];
    expect(images).toContain('uses: aws-actions/configure-aws-credentials@v6.2.3');
    expect(images).toContain('role-to-assume: ${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}');
    expect(images).toContain('id-token: write');
    expect(images).toContain('111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/${{ matrix.service }}:${{ github.sha }}');
    expect(images).toContain('npx projen set-image-tags');
    expect(images).toContain('git add src/gitops/image-tags.json gitops');
    // After each successful deploy (which creates the repositories), one run at a time, skipping tags already pushed.
    expect(images).toContain('workflow_run:\n    workflows:\n      - deploy\n    types:\n      - completed');
    expect(images).toContain('github.event.workflow_run.conclusion == \'success\'');
    expect(images).toContain('concurrency:\n  group: images\n  cancel-in-progress: false');
    expect(images).toContain('fail-fast: false');
    expect(images).toContain('is already pushed');
    // The bump rebases onto whatever landed meanwhile.
    expect(images).toContain('git pull --rebase origin main && git push origin HEAD:main');
    const deploy: string = files['.github/workflows/deploy.yml'];
    expect(deploy).toContain('environment: production');
    expect(deploy).toContain('role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    // The diff runs before the approval, with its own read-only role: only the approved job may assume the deploy role.
    expect(deploy.indexOf('AWS_DIFF_ROLE_ARN')).toBeLessThan(deploy.indexOf('environment: production'));
    expect(deploy.match(/AWS_DEPLOY_ROLE_ARN/g)).toHaveLength(1);
    // GitHub's key names: a camelCase key would make the whole workflow file invalid.
    expect(deploy).toContain('concurrency:\n      group: deploy\n      cancel-in-progress: false');
    expect(deploy).not.toMatch(/cancelInProgress|failFast/);
    expect(deploy).toContain('npx cdk deploy --all --require-approval never');
    expect(deploy).toContain('- "!src/gitops/**"');
    expect(files['.github/workflows/gitops-drift.yml']).toContain('npx projen gitops:check');
    for (const workflow of ['images', 'deploy', 'gitops-drift']) expect(files[`.github/workflows/${workflow}.yml`]).not.toMatch(/secrets\./);
  });

  test('the README explains the layout, the deploy steps and the runbooks', () => {
    const readme: string = files['README.md'];
    for (const heading of ['## What is where', '## Deploy', '## Runbooks']) expect(readme).toContain(heading);
    expect(readme).toContain('Create the GitHub environment `production` with required reviewers');
  });
});

test('without disaster recovery: one region, no backup schedule settings, no standby', () => {
  const { project, files } = synth({ disasterRecovery: false, profile: PlatformProfile.COST_OPTIMIZED });
  expect(project.regions).toEqual(['eu-west-1']);
  const config: string = files['src/app-config.generated.ts'];
  expect(config).not.toContain('disasterRecovery:');
  expect(config).not.toContain('secondaryRegion:');
  expect(config).toContain('profile: PlatformProfile.COST_OPTIMIZED');
});

test('custom services, regions, strategy and roles', () => {
  const { files } = synth({
    name: '@acme/Payments App',
    services: [{ name: 'checkout', port: 9000, cpuMillis: 500, memoryMebibytes: 1024 }, { name: 'ledger', imageRepository: 'ghcr.io/acme/ledger' }],
    primaryRegion: 'us-west-2',
    secondaryRegion: 'us-east-2',
    recoveryStrategy: RecoveryStrategy.WARM_STANDBY,
    rtoMinutes: 15,
    rpoMinutes: 60,
    dnsFailover: {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'acme.example',
      records: [{ name: 'pay.acme.example', healthCheckPath: '/ready', regionSwitchHealthCheckIds: { 'us-west-2': '0b7e3c6a-1f2d-4e5a-9b8c-7d6e5f4a3b2c' } }],
    },
    imagePushRoleArn: 'arn:aws:iam::123456789012:role/push',
    gitOpsRepoUrl: 'git@github.com:acme/payments.git',
    gitOpsCredentialsSecret: 'payments-app/argocd/repo',
    alarmEmails: ['oncall@acme.example'],
  });
  const config: string = files['src/app-config.generated.ts'];
  expect(config).toContain('alarmEmails: [\'oncall@acme.example\'],');
  expect(files['src/platform.ts']).toContain('alerting: { emailAddresses: APP_CONFIG.alarmEmails }');
  expect(files['README.md']).toContain('oncall@acme.example is subscribed');
  expect(config).toContain('clusterName: \'payments-app\'');
  expect(config).toContain('strategy: RecoveryStrategy.WARM_STANDBY');
  // The warm standby's failover records reach the platform of both regions as given.
  expect(config).toContain('  dnsFailover: { hostedZoneId: \'Z0123456789ABCDEFGHIJ\', zoneName: \'acme.example\', records: [{ name: \'pay.acme.example\', ' +
    'healthCheckPath: \'/ready\', regionSwitchHealthCheckIds: { \'us-west-2\': \'0b7e3c6a-1f2d-4e5a-9b8c-7d6e5f4a3b2c\' } }] },');
  expect(files['src/platform.ts']).toContain('dnsFailover: APP_CONFIG.dnsFailover,');
  expect(config).toContain('imageRepositories: { \'us-west-2\': \'ghcr.io/acme/ledger\', \'us-east-2\': \'ghcr.io/acme/ledger\' }');
  expect(config).toContain('port: 9000,\n      cpuMillis: 500,\n      memoryMebibytes: 1024,');
  expect(config).toContain('repositoryCredentialsSecret: \'payments-app/argocd/repo\'');
  expect(files['src/gitops/image-tags.json']).toEqual({ checkout: '0.1.0', ledger: '0.1.0' });
  expect(files['services/checkout/Dockerfile']).toContain('EXPOSE 9000');
  expect(files['.github/workflows/images.yml']).toContain('role-to-assume: arn:aws:iam::123456789012:role/push');
  // ledger's image comes from elsewhere: nothing builds it, nothing bumps its tag, the platform makes it no ECR repository.
  expect(files['.github/workflows/images.yml']).toMatch(/service:\n {10}- checkout\n(?! {10}- ledger)/);
  expect(files['.github/workflows/images.yml']).toContain('SERVICES: checkout\n');
  expect(files['services/ledger/Dockerfile']).toBeUndefined();
  expect(config).toContain('buildsImage: false,');
  expect(files['src/platform.ts']).toContain('APP_CONFIG.services.filter((service) => service.buildsImage)');
});

test('the API endpoint is private by default, and public only for the ranges given, in every region\'s platform', () => {
  expect(synth().files['src/app-config.generated.ts']).toContain('  apiEndpoint: {},');
  const { files } = synth({ publicEndpointCidrs: ['203.0.113.0/24'] });
  expect(files['src/app-config.generated.ts']).toContain('  apiEndpoint: { publicEndpointCidrs: [\'203.0.113.0/24\'] },');
  expect(files['src/platform.ts']).toContain('...APP_CONFIG.apiEndpoint,');
  // The generated workflows reach AWS only: none needs the Kubernetes API.
  for (const workflow of Object.keys(files).filter((name) => name.startsWith('.github/workflows/'))) {
    expect(JSON.stringify(files[workflow])).not.toMatch(/kubectl|update-kubeconfig|argocd (app|login)/);
  }
});

test('an upper-case cluster name keeps the platform\'s lower-case ECR repository names', () => {
  const { files } = synth({ clusterName: 'Shop' });
  expect(files['src/app-config.generated.ts']).toContain('111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api');
  expect(files['.github/workflows/images.yml']).toContain('REPOSITORY: shop/${{ matrix.service }}');
});

test('a sample file the user changed is kept; managed files are regenerated', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-app-'));
  // A first synth as `npx projen` would run it, without the package install.
  process.env.PROJEN_DISABLE_POST = 'true';
  new ResilientEksAppProject({ name: 'shop', defaultReleaseBranch: 'main', outdir }).synth();
  fs.writeFileSync(path.join(outdir, 'src/platform.ts'), '// mine\n');
  const files = Testing.synth(new ResilientEksAppProject({ name: 'shop', defaultReleaseBranch: 'main', outdir, services: [{ name: 'web' }] }));
  expect(files['src/platform.ts']).toBe('// mine\n');
  expect(files['src/app-config.generated.ts']).toContain('name: \'web\'');
});

describe('invalid options fail at synth, naming the option, the value, the rule and the fix', () => {
  const cases: Array<[string, Partial<ResilientEksAppProjectOptions>, RegExp]> = [
    ['rto a pilot light cannot meet', { rtoMinutes: 10 },
      /ResilientEksAppProject option rtoMinutes = "10 min" is invalid: cannot be met by pilot-light.*Fix: use recoveryStrategy "warm-standby"/],
    ['rpo below 15 minutes', { rpoMinutes: 5 }, /ResilientEksAppProject option rpoMinutes = .*is invalid/],
    ['a warm standby without DNS failover', { recoveryStrategy: RecoveryStrategy.WARM_STANDBY, rtoMinutes: 15 },
      /option dnsFailover = undefined is invalid: must be set for warm-standby: its RTO \(10 minutes at best\) counts on Route 53 detecting the failure \(30 s x 3 \+ 60 s TTL = 150 s\).*Fix: set dnsFailover/],
    ['DNS failover at the zone apex', { dnsFailover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'acme.example', records: [{ name: 'acme.example' }] } },
      /option dnsFailover.records\[0\].name = "acme.example" is invalid: must be a name below the zone, not its apex/],
    ['DNS failover without DR', { disasterRecovery: false, dnsFailover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'acme.example', records: [] } },
      /option dnsFailover = .* is invalid: only applies with disaster recovery/],
    ['an API endpoint open to the internet', { publicEndpointCidrs: ['0.0.0.0/0'] },
      /option publicEndpointCidrs\[0\] = "0\.0\.0\.0\/0" is invalid: admits every address on the internet/],
    ['the same region twice', { primaryRegion: 'eu-west-1', secondaryRegion: 'eu-west-1' },
      /option secondaryRegion = "eu-west-1" is invalid: must differ from primaryRegion.*Fix:/],
    ['a malformed region', { primaryRegion: 'europe' }, /option primaryRegion = "europe" is invalid: must be an AWS region/],
    ['DR settings without DR', { disasterRecovery: false, rpoMinutes: 30 }, /option rpoMinutes = 30 is invalid: only applies with disaster recovery/],
    ['a repository URL with credentials', { gitOpsRepoUrl: 'https://user:token@github.com/acme/x.git' },
      /option gitOpsRepoUrl = "https:\/\/\*\*\*@github.com\/acme\/x.git" is invalid: must not carry credentials/],
    ['a bad revision', { gitOpsRevision: 'a..b' }, /option gitOpsRevision = "a..b" is invalid/],
    ['an account that is not 12 digits', { awsAccount: '1234' }, /option awsAccount = "1234" is invalid: must be a 12-digit AWS account ID/],
    ['no services', { services: [] }, /option services = \[\] is invalid: must list at least one service/],
    ['a service listed twice', { services: [{ name: 'api' }, { name: 'api' }] }, /option services\[1\].name = "api" is invalid: names a service already listed/],
    ['a tagged image repository', { services: [{ name: 'api', imageRepository: 'ghcr.io/acme/api:1.0' }] },
      /option services\[0\].imageRepository = "ghcr.io\/acme\/api:1.0" is invalid: must be a repository without tag.*Fix: use "ghcr.io\/acme\/api"/],
    ['a port out of range (HaMicroservice\'s own rule)', { services: [{ name: 'api', port: 70000 }] },
      /services\[0\] \("api"\) is invalid: HaMicroservice .*containerPort = 70000 is invalid: must be a whole number from 1 to 65535/],
    ['a service name Kubernetes refuses', { services: [{ name: 'Api_1' }] }, /services\[0\] \("Api_1"\) is invalid: HaMicroservice .*name = "Api_1" is invalid/],
    ['a cluster name EKS refuses', { clusterName: '-x' }, /option clusterName = "-x" is invalid/],
    ['an alarm email that is not one', { alarmEmails: ['oncall'] }, /option alarmEmails\[0\] = "oncall" is invalid: must be an email address/],
    ['ArgoCD watching another branch than the workflows commit to', { gitOpsRevision: 'release' },
      /option gitOpsRevision = "release" is invalid: must be defaultReleaseBranch \("main"\).*Fix: remove gitOpsRevision/],
    ['repository credentials where ArgoCD may not read', { gitOpsCredentialsSecret: 'repo' },
      /option gitOpsCredentialsSecret = "repo" is invalid: must be under "shop\/argocd\/".*Fix: name it "shop\/argocd\/repository"/],
  ];
  test.each(cases)('%s', (_, options, message) => {
    expect(() => synth(options)).toThrow(message);
  });
});
