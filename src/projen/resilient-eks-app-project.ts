import * as fs from 'fs';
import * as path from 'path';
import { SampleDir, SampleFile, SourceCode, Task, awscdk, javascript } from 'projen';
import { INITIAL_IMAGE_TAG, resolveAppConfig } from './private/app-config';
import {
  CDK_MAIN_SOURCE, GITOPS_MAIN_SOURCE, PLATFORM_CHARTS_SOURCE, PLATFORM_SOURCE, RUNBOOKS_SOURCE, SERVICE_CHART_SOURCE, TEST_SOURCE,
  appConfigSource, dockerfile, readmeSource,
} from './private/sources';
import { addDeployWorkflow, addGitOpsDriftWorkflow, addImagesWorkflow } from './private/workflows';
import { ResilientEksAppBaseOptions } from './resilient-eks-app-base-options.generated';
import { ResilientEksAppService } from './resilient-eks-app-service';
import { DnsFailoverOptions, RecoveryStrategy } from '../platform/disaster-recovery-options';
import { PlatformProfile } from '../platform/platform-profile';

/** Options of a {@link ResilientEksAppProject}. */
export interface ResilientEksAppProjectOptions extends ResilientEksAppBaseOptions {
  /**
   * The services: one HaMicroservice, ECR repository and image build each.
   * @default [{ name: "api" }]
   */
  readonly services?: ResilientEksAppService[];
  /**
   * The EKS cluster name (also the ECR repository prefix and the prefix of the Secrets Manager names the cluster reads).
   * @default - the project name in lower case, with "-" for anything but letters and digits
   */
  readonly clusterName?: string;
  /**
   * The AWS account the images live in (ECR registry of the manifests). A placeholder by default: set it before deploying.
   * @default "111122223333"
   */
  readonly awsAccount?: string;
  /**
   * The region the platform serves from.
   * @default "eu-west-1"
   */
  readonly primaryRegion?: string;
  /**
   * The recovery region (backup copies, replicas and the standby platform).
   * @default "eu-central-1"
   */
  readonly secondaryRegion?: string;
  /**
   * Backups and disaster recovery: AWS Backup and Velero in the primary, copies and a standby in `secondaryRegion`.
   * @default true
   */
  readonly disasterRecovery?: boolean;
  /**
   * How the secondary region recovers; it must be able to meet `rtoMinutes`.
   * @default RecoveryStrategy.PILOT_LIGHT
   */
  readonly recoveryStrategy?: RecoveryStrategy;
  /**
   * Recovery point objective in minutes: the most data, in time, a disaster may lose (at least 15).
   * @default 60
   */
  readonly rpoMinutes?: number;
  /**
   * Recovery time objective in minutes: the longest a regional disaster may interrupt service.
   * @default 60
   */
  readonly rtoMinutes?: number;
  /**
   * How long backups are kept, in days.
   * @default 35
   */
  readonly backupRetentionDays?: number;
  /**
   * Route 53 failover of the services' public names between the two regions, passed to the platform of both
   * (`disasterRecovery.dnsFailover`). Required with `RecoveryStrategy.WARM_STANDBY`, whose RTO counts on it.
   * Each name must be served by a service: give it `expose` with that `host` and `dnsFailover: { region }` in
   * `src/gitops/service-chart.ts` (the resilience report's `dr-dns-failover` and `dr-rto` rows check both halves).
   * @default - no DNS failover: clients are pointed at the recovery region by hand during a failover
   */
  readonly dnsFailover?: DnsFailoverOptions;
  /**
   * What the platform optimises for.
   * @default PlatformProfile.HIGH_AVAILABILITY
   */
  readonly profile?: PlatformProfile;
  /**
   * The Git repository ArgoCD watches (HTTPS or SSH URL, no credentials in it).
   * @default "https://github.com/example/<clusterName>.git" (a placeholder: set it before deploying)
   */
  readonly gitOpsRepoUrl?: string;
  /**
   * The branch ArgoCD watches.
   * @default "main"
   */
  readonly gitOpsRevision?: string;
  /**
   * AWS Secrets Manager secret (under `<clusterName>/argocd/`) with the repository's credentials, for a private repository.
   * @default - a public repository
   */
  readonly gitOpsCredentialsSecret?: string;
  /**
   * Email addresses subscribed to the platform's alarm topic in every region (each confirms its subscription once).
   * @default - none: subscribe a pager or chat integration to the topic
   */
  readonly alarmEmails?: string[];
  /**
   * IAM role or user ARNs granted cluster admin.
   * @default - none
   */
  readonly adminPrincipalArns?: string[];
  /**
   * Ranges that may reach a public Kubernetes API endpoint of each region's cluster (the platform's
   * `publicEndpointCidrs`). None of the generated workflows needs one: deployments drive kubectl from
   * CDK's handler inside the VPC and ArgoCD pulls from Git. List the egress addresses of whoever runs
   * kubectl from outside the VPC (operators following the runbooks, self-hosted runners).
   * @default - no public endpoint: the API is reachable from inside the VPC only
   */
  readonly publicEndpointCidrs?: string[];
  /**
   * Serve the public API endpoint to every address (the platform's `acceptPublicEndpointFromAnywhere`).
   * @default false
   */
  readonly acceptPublicEndpointFromAnywhere?: boolean;
  /**
   * IAM role the images workflow assumes through GitHub's OIDC provider to push to ECR.
   * @default "${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}" (a repository variable)
   */
  readonly imagePushRoleArn?: string;
  /**
   * Read-only IAM role the deploy workflow assumes through GitHub's OIDC provider for `cdk diff`, before the approval.
   * @default "${{ vars.AWS_DIFF_ROLE_ARN }}" (a repository variable)
   */
  readonly diffRoleArn?: string;
  /**
   * IAM role the deploy workflow assumes through GitHub's OIDC provider to deploy the stacks, after the approval.
   * Trust only the deploy environment's `sub` claim, so that no other job can assume it.
   * @default "${{ vars.AWS_DEPLOY_ROLE_ARN }}" (a repository variable)
   */
  readonly deployRoleArn?: string;
  /**
   * The GitHub environment whose required reviewers approve each infrastructure deploy.
   * @default "production"
   */
  readonly deployEnvironment?: string;
}

/** The aws-cdk-lib version the library is built and tested with: the least a generated app may use. */
const MIN_CDK_VERSION = '2.263.0';
const LIBRARY = 'resilient-eks';
/** Where the generated build writes the resilience report (not committed: the build recomputes it). */
const REPORT_DIRECTORY = 'resilience-report';

/**
 * A repository for a platform and its services on Amazon EKS, ready in one command:
 * `npx projen new --from resilient-eks`. It holds a CDK app with the
 * `ResilientEksPlatform` of the primary region (and, with disaster recovery, the
 * recovery region and the standby), a cdk8s app with one `HaMicroservice` per
 * service, the Karpenter NodePool and the ArgoCD
 * Applications rendered into a committed `gitops/` directory, and GitHub
 * workflows that build, check `gitops/`, push images and deploy after an approval.
 *
 * The options live in `.projenrc.ts`; the code that reads them (`src/main.ts`,
 * `src/platform.ts`, `src/gitops/`) is written once and belongs to you, while
 * `src/app-config.generated.ts`, the tasks and the workflows are regenerated.
 *
 * @pjid resilient-eks-app
 */
export class ResilientEksAppProject extends awscdk.AwsCdkTypeScriptApp {
  /** The task that renders the cdk8s app into `gitops/`. */
  public readonly gitopsTask: Task;
  /** The task that fails when `gitops/` or `runbooks/` differ from what the code renders. */
  public readonly gitopsCheckTask: Task;
  /** The task that writes the platform's runbooks into `runbooks/`. */
  public readonly runbooksTask: Task;
  /** The task that computes the resilience report of `cdk.out` and each region's `gitops/` and fails when a claim is false. */
  public readonly resilienceReportTask: Task;
  /** The EKS cluster name. */
  public readonly clusterName: string;
  /** The regions the platform runs in, the primary first. */
  public readonly regions: string[];

  constructor(options: ResilientEksAppProjectOptions) {
    const config = resolveAppConfig(options);
    const roles = {
      imagePushRoleArn: options.imagePushRoleArn ?? '${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}',
      diffRoleArn: options.diffRoleArn ?? '${{ vars.AWS_DIFF_ROLE_ARN }}',
      deployRoleArn: options.deployRoleArn ?? '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
      deployEnvironment: options.deployEnvironment ?? 'production',
    };
    const { library, otherDevDeps } = libraryDependency(options.devDeps ?? [], options.outdir);
    super({
      ...options,
      cdkVersion: options.cdkVersion ?? MIN_CDK_VERSION,
      // The workflows and the README use npm.
      packageManager: options.packageManager ?? javascript.NodePackageManager.NPM,
      sampleCode: false,
      deps: [...(options.deps ?? []), library, 'cdk8s@^2.70.0', 'cdk8s-plus-33@^2.5.1'],
      devDeps: otherDevDeps,
      readme: options.readme ?? { contents: readmeSource(options.name, config, roles) },
      jestOptions: options.jestOptions ?? { jestConfig: { testTimeout: 300_000 } },
      context: {
        // Synth is offline: no CLI telemetry call.
        'cli-telemetry': false,
        ...options.context,
      },
    });
    this.clusterName = config.clusterName;
    this.regions = config.regions;
    // No notices fetched from the network on every CLI command.
    this.cdkConfig.json.addOverride('notices', false);

    // Managed: the settings the samples read, regenerated from .projenrc.ts.
    new SourceCode(this, path.join(this.srcdir, 'app-config.generated.ts')).line(appConfigSource(config).trimEnd());

    // Samples: written once, then yours.
    new SampleFile(this, path.join(this.srcdir, this.appEntrypoint), { contents: CDK_MAIN_SOURCE });
    new SampleFile(this, path.join(this.srcdir, 'platform.ts'), { contents: PLATFORM_SOURCE });
    new SampleFile(this, path.join(this.srcdir, 'runbooks.ts'), { contents: RUNBOOKS_SOURCE });
    new SampleDir(this, path.join(this.srcdir, 'gitops'), {
      files: {
        'main.ts': GITOPS_MAIN_SOURCE,
        'platform-charts.ts': PLATFORM_CHARTS_SOURCE,
        'service-chart.ts': SERVICE_CHART_SOURCE,
        'image-tags.json': JSON.stringify(Object.fromEntries(config.services.map((s) => [s.name, INITIAL_IMAGE_TAG])), undefined, 2) + '\n',
      },
    });
    new SampleFile(this, path.join(this.testdir, 'main.test.ts'), { contents: TEST_SOURCE });
    for (const service of config.services.filter((s) => s.buildsImage)) {
      new SampleDir(this, path.join('services', service.name), {
        files: { 'Dockerfile': dockerfile(service), 'www/index.html': `<h1>${service.name}</h1>\n`, 'www/healthz': 'ok\n' },
      });
    }

    // Managed wiring: render, check, runbooks, image tags.
    const tsNode = `ts-node --project ${this.tsconfigDev.fileName}`;
    this.gitopsTask = this.addTask('gitops', {
      description: `Render the cdk8s app into ${config.gitOps.directory}/<region>/ (committed; each region's root Application syncs it)`,
      exec: `${tsNode} ${this.srcdir}/gitops/main.ts`,
    });
    this.runbooksTask = this.addTask('runbooks', {
      description: 'Write the platform\'s runbooks into runbooks/ (committed)',
      exec: `${tsNode} ${this.srcdir}/runbooks.ts runbooks`,
    });
    this.gitopsCheckTask = this.addTask('gitops:check', {
      description: 'Render gitops/ and runbooks/ and fail when they differ from Git',
    });
    this.gitopsCheckTask.spawn(this.gitopsTask);
    this.gitopsCheckTask.spawn(this.runbooksTask);
    this.gitopsCheckTask.exec(`git add --intent-to-add ${config.gitOps.directory} runbooks && git diff --exit-code -- ${config.gitOps.directory} runbooks`, {
      name: 'no-drift',
    });
    this.addTask('set-image-tags', {
      description: 'Set the image tag $TAG for the services in $SERVICES (space-separated) in src/gitops/image-tags.json',
      exec: 'node -e "const fs=require(\'fs\');const f=\'' + `${this.srcdir}/gitops/image-tags.json` + '\';const t=JSON.parse(fs.readFileSync(f,\'utf8\'));' +
        'for(const s of process.env.SERVICES.split(\' \').filter(Boolean))t[s]=process.env.TAG;fs.writeFileSync(f,JSON.stringify(t,null,2)+\'\\n\')"',
    });
    // The proof, per region (each region's cluster runs its own gitops/<region>): every claim computed from what the
    // build just synthesized; a false one fails the build with its fix.
    this.resilienceReportTask = this.addTask('resilience-report', {
      description: `Compute the resilience report of ${this.cdkConfig.cdkout}/ and ${config.gitOps.directory}/<region>/ into ${REPORT_DIRECTORY}/ ` +
        '(fails when a claim is false)',
    });
    this.resilienceReportTask.exec(`mkdir -p ${REPORT_DIRECTORY}`);
    for (const region of config.regions) {
      this.resilienceReportTask.exec(`resilient-eks report ${this.cdkConfig.cdkout} ${config.gitOps.directory}/${region} ` +
        `--markdown ${REPORT_DIRECTORY}/${region}.md --json ${REPORT_DIRECTORY}/${region}.json`);
    }
    this.gitignore.exclude(`/${REPORT_DIRECTORY}/`);
    // The build renders both, so a build leaves gitops/ and runbooks/ exactly as committed or shows the drift; then the report.
    this.postCompileTask.spawn(this.gitopsTask);
    this.postCompileTask.spawn(this.runbooksTask);
    this.postCompileTask.spawn(this.resilienceReportTask);

    if (this.github) {
      addGitOpsDriftWorkflow(this.github, config);
      addImagesWorkflow(this.github, config, roles);
      addDeployWorkflow(this.github, config, roles);
    }
  }
}

/**
 * The dependency on this library. `projen new --from <spec>` passes the spec as a
 * dev dependency; the generated code imports the library at run time, so it becomes
 * a dependency, from the same tarball when created from one.
 */
function libraryDependency(devDeps: string[], outdir: string | undefined): { library: string; otherDevDeps: string[] } {
  const isLibrary = (spec: string) => spec === LIBRARY || spec.startsWith(`${LIBRARY}@`) || (spec.endsWith('.tgz') && path.basename(spec).startsWith(LIBRARY));
  const own = devDeps.find(isLibrary);
  const otherDevDeps = devDeps.filter((spec) => !isLibrary(spec));
  if (own?.endsWith('.tgz')) {
    const tarball = own.startsWith(`${LIBRARY}@file:`) ? own.substring(`${LIBRARY}@file:`.length) : own;
    const absolute = path.resolve(outdir ?? '.', tarball);
    return { library: `${LIBRARY}@file:${fs.existsSync(absolute) ? absolute : tarball}`, otherDevDeps };
  }
  return { library: own && own !== LIBRARY ? own : `${LIBRARY}@^${libraryVersion()}`, otherDevDeps };
}

/** This library's own version, from its package.json (two levels above lib/projen). */
function libraryVersion(): string {
  const version: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  // An unreleased build (0.0.0) accepts any release.
  return version === '0.0.0' ? '0' : version;
}
