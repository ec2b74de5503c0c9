import { ProjenStruct, Struct } from '@mrgrain/jsii-struct-builder';
import { awscdk, javascript } from 'projen';

/**
 * Test-only packages published as ES modules only (the Kubernetes schema
 * models and what they import): jest transpiles them to CommonJS.
 */
const ESM_ONLY_TEST_PACKAGES = ['kubernetes-models', '@kubernetes-models', 'is-cidr', 'cidr-regex'];
const esmPackagePattern = `(${ESM_ONLY_TEST_PACKAGES.join('|')})`;

/**
 * The only place where the project's configuration is edited. Everything that
 * projen writes (package.json, tsconfig*, API.md, workflows, .gitignore...) is
 * regenerated from this file by `npx projen`.
 */
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'resilient-eks',
  description:
    'Microservices on Amazon EKS that survive node, zone and region failures at the lowest cost that still guarantees it: ' +
    'an AWS CDK platform construct, a cdk8s HaMicroservice construct and a projen project type.',
  author: 'resilient-eks maintainers',
  authorAddress: 'maintainers@resilient-eks.dev',
  repositoryUrl: 'https://github.com/resilient-eks/resilient-eks.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'cdk8s', 'projen', 'eks', 'karpenter', 'kubernetes', 'high-availability', 'resilience'],
  stability: 'experimental',

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // aws-eks-v2 is stable from 2.240.0; KubernetesVersion.V1_36 arrives in 2.263.0; cdk-nag 3 needs 2.257.0.
  cdkVersion: '2.263.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // projen: the `resilient-eks-app` project type (src/projen) extends projen's AWS CDK TypeScript app.
  peerDeps: ['cdk8s@^2.70.0', 'cdk8s-plus-33@^2.5.1', 'projen@^0.103.25'],
  // The kubectl/Helm Lambda layer matching the default Kubernetes version (src/versions.ts).
  deps: ['@aws-cdk/lambda-layer-kubectl-v36@^2.0.1'],
  devDeps: [
    // Official Kubernetes JSON schemas: every object we emit is validated against them in tests.
    'kubernetes-models@^5.1.0',
    '@kubernetes-models/validate@^5.0.2',
    // Karpenter CRD models (NodePool, EC2NodeClass) for schema validation in tests.
    '@kubernetes-models/karpenter@^2.0.0',
    '@kubernetes-models/argo-cd@^4.0.0',
    '@kubernetes-models/external-secrets@^2.0.0',
    // Istio (VirtualService, DestinationRule, PeerAuthentication) and Gateway API (waypoint Gateway) models.
    '@kubernetes-models/istio@^3.0.1',
    '@kubernetes-models/gateway-api@^2.0.0',
    // Validates objects of CRDs without a kubernetes-models package (Velero, CSI snapshots) against their vendored schemas.
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    // Property-based tests of the resilience invariants.
    'fast-check@^4.10.0',
    // AwsSolutions checks of every AWS stack, run in tests.
    'cdk-nag@^3.0.2',
    // The library records acknowledgements in the form cdk-nag 2 reads as well; tests apply 2.x as its users do.
    'cdk-nag-v2@npm:cdk-nag@2.38.2',
    // Generates the project type's options struct from projen's own (jsii has no Omit or Partial).
    '@mrgrain/jsii-struct-builder@^0.7.64',
  ],

  // The mission's layout keeps the development tsconfig at the top level.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: {},
    include: ['.projenrc.ts'],
    // The consumer fixture imports the published package by name; it is compiled by test/consumer/consumer-test.sh.
    exclude: ['test/fixtures'],
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', '.projenrc.ts'],
    // One development tsconfig covers src, test and examples (the project service would only find tsconfig.json).
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    ignorePatterns: ['*.js', '*.d.ts', 'node_modules/', '*.generated.ts', 'coverage', 'test/fixtures/'],
  },
  jestOptions: {
    jestConfig: {
      // Property tests synthesize many charts; keep a generous per-test budget on a 2-core machine.
      testTimeout: 60_000,
      // Resolve "import"-only packages and transpile them (see the transform below).
      resolver: '<rootDir>/test/jest-resolver.js',
      transformIgnorePatterns: [`/node_modules/(?!${esmPackagePattern}/)`],
    },
  },
  // A worktree's node_modules may be a symlink, which the directory pattern node_modules/ does not match.
  gitignore: ['/example.out/', '/cdk.out/', '/.tmp/', '/node_modules'],
  // `resilient-eks report <cloud-assembly-dir> <manifests>...`: the resilience report of what was synthesized.
  bin: { 'resilient-eks': 'bin/resilient-eks' },
});

// projen silences jsii's reserved-word warnings; we fix every warning instead, so any warning fails the build.
project.compileTask.reset('jsii --fail-on-warnings');

// jsii prints a Node 20 end-of-life banner on every run; Node 20 is this project's minimum and CI's runtime.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');

// Transpile the ES-module-only schema packages with the same ts-jest, allowing JavaScript.
project.jest!.config.transform[`^.+/node_modules/${esmPackagePattern}/.+\\.js$`] = [
  'ts-jest',
  { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
];

// The project type's base options: projen's AWS CDK TypeScript app options with `cdkVersion` optional
// (defaulting to the aws-cdk-lib this library needs), so `npx projen new --from resilient-eks` needs no option.
// jsii has no Omit or Partial, and projen rejects an options struct that redeclares a property.
new ProjenStruct(project, {
  name: 'ResilientEksAppBaseOptions',
  description: 'The options of projen\'s AWS CDK TypeScript app that a ResilientEksAppProject accepts (cdkVersion optional).',
  filePath: 'src/projen/resilient-eks-app-base-options.generated.ts',
})
  .mixin(Struct.fromFqn('projen.awscdk.AwsCdkTypeScriptAppOptions'))
  // The project type writes its own sample code.
  // `package` is a reserved word in Java and Go (jsii fails the build on the warning); the app keeps projen's default.
  .omit('sampleCode', 'package')
  .update('cdkVersion', {
    optional: true,
    docs: {
      summary: 'Minimum version of the AWS CDK to depend on.',
      default: '"2.263.0"',
      remarks: 'resilient-eks needs aws-cdk-lib 2.263.0 or later (aws-eks-v2 with Kubernetes 1.36).',
    },
  });

// The README's main command: synthesize the built-in shop example to YAML and print a summary.
project.addTask('example', {
  description: 'Synthesize the built-in shop (services to YAML, platform to CloudFormation; no AWS account) into example.out/ and print summaries',
  exec: 'ts-node --project tsconfig.dev.json examples/shop/main.ts example.out',
});

// How long the resilience report takes on the example's output (a benchmark, not a test).
project.addTask('benchmark:report', {
  description: 'Time the resilience report (compiled, as the bin runs it) on example.out/ (run `npx projen example` and `npx projen compile` first)',
  exec: 'node benchmarks/report-time.js example.out',
});

// Figures of the example platform against CloudFormation's limits (a benchmark, not a test).
project.addTask('benchmark', {
  description: 'Synthesize the example platform repeatedly and print synth time, resources, template bytes and custom resources',
  exec: 'ts-node --project tsconfig.dev.json benchmarks/platform-synth.ts',
});

// Proves the packed tarball works for a consumer: npm-install it into a fresh cdk8s app and synthesize.
const consumerTest = project.addTask('consumer-test', {
  description: 'Install the packed tarball into a fresh cdk8s app and synthesize a HaMicroservice',
  exec: 'bash test/consumer/consumer-test.sh',
});

// Proves the project type end to end: `projen new --from <tarball>` in an empty directory, then that repository's build.
// A separate jest run, after `package`: the library's own jest runs before the tarball exists.
const projectE2e = project.addTask('project-e2e', {
  description: 'Create a repository with `projen new --from` the packed tarball, build it and check its CloudFormation and gitops/ manifests',
  exec: 'jest --testMatch "<rootDir>/test/e2e/**/*.e2e.ts" --coverage=false --runInBand',
});

// The full CI path: the whole projen build, the consumer check, then no drift of generated files.
const ci = project.addTask('ci', {
  description: 'Full build (compile, test, eslint, docgen, package), consumer check and generated-file drift check',
});
ci.spawn(project.buildTask);
ci.spawn(consumerTest);
ci.spawn(projectE2e);
ci.exec('git add --intent-to-add . && git diff --exit-code', {
  name: 'no-drift',
});

project.synth();
