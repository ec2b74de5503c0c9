import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { Application } from '../../k8s/argocd/application';
import { HaMicroservice } from '../../k8s/ha-microservice';
import { NodePool } from '../../k8s/karpenter/node-pool';
import { VeleroSchedule } from '../../k8s/velero/velero-schedule';
import { DnsFailoverOptions, RecoveryStrategy } from '../../platform/disaster-recovery-options';
import { PlatformProfile } from '../../platform/platform-profile';
import { ApiEndpointChoice, apiEndpointExposure } from '../../policy/api-endpoint';
import { recoveryPlan } from '../../policy/disaster-recovery';
import { requireDnsFailoverFor, requireDnsFailoverOptions } from '../../policy/dns-failover';
import { PropValidationError, invalid, requireIntegerInRange } from '../../policy/errors';
import { requireClusterName, requireEmail, requireRegion } from '../../policy/names';
import type { ResilientEksAppProjectOptions } from '../resilient-eks-app-project';
import { ResilientEksAppService } from '../resilient-eks-app-service';

/** The options of the project type that shape the generated repository. */
export type AppIntent = ResilientEksAppProjectOptions;

/** A service with every default filled in. */
export interface ServiceConfig {
  readonly name: string;
  /** Image repository (without tag) by region. */
  readonly imageRepositories: { [region: string]: string };
  readonly port: number;
  readonly cpuMillis: number;
  readonly memoryMebibytes: number;
  /** Built from services/<name> and pushed to the platform's ECR repository (no `imageRepository` option). */
  readonly buildsImage: boolean;
}

/** The validated settings of the generated repository, written to its `src/app-config.generated.ts`. */
export interface AppConfig {
  readonly clusterName: string;
  /** The platform's ECR repository prefix: the cluster name in lower case, as the platform makes it (ECR names are lower case). */
  readonly ecrRepositoryPrefix: string;
  /** The branch ArgoCD watches, the workflows build and the image bumps are committed to. */
  readonly branch: string;
  readonly awsAccount: string;
  readonly primaryRegion: string;
  /** The standby region, when disaster recovery is on. */
  readonly secondaryRegion?: string;
  readonly regions: string[];
  readonly availabilityZones: { [region: string]: string[] };
  readonly profile: PlatformProfile;
  readonly disasterRecovery?: { rpoMinutes: number; rtoMinutes: number; strategy: RecoveryStrategy; retentionDays: number };
  /** Route 53 failover of the public names, with disaster recovery. */
  readonly dnsFailover?: DnsFailoverOptions;
  readonly gitOps: { repoUrl: string; revision: string; directory: string; repositoryCredentialsSecret?: string };
  readonly adminPrincipalArns: string[];
  /** Who reaches the Kubernetes API, validated as the platform does. */
  readonly apiEndpoint: ApiEndpointChoice;
  readonly alarmEmails: string[];
  readonly services: ServiceConfig[];
}

/** The option names as the user writes them, for error messages. */
const OPTION_PREFIX = 'ResilientEksAppProject option';
/** The placeholder account of the default options: replaced before the first deploy (the generated README says how). */
export const PLACEHOLDER_ACCOUNT = '111122223333';
/** The directory the cdk8s app renders into; the root Application of a region syncs `gitops/<region>`. */
export const GITOPS_DIRECTORY = 'gitops';
/** The tag the sample image-tags.json starts every service with, until CI pushes the first image. */
export const INITIAL_IMAGE_TAG = '0.1.0';

/** The cluster name a project name gives: lower case, letters, digits and "-". */
export function clusterNameFrom(projectName: string): string {
  return projectName.replace(/^@[^/]*\//, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
}

/**
 * Validates the options and fills in the defaults. Every rule that a construct of
 * this library already enforces is checked by building that construct, so a bad
 * option fails here, at `npx projen`, with the library's own message.
 */
export function resolveAppConfig(intent: AppIntent): AppConfig {
  try {
    return resolve(intent);
  } catch (error) {
    if (error instanceof PropValidationError) {
      throw new PropValidationError(`${OPTION_PREFIX} ${error.prop}`, error.value, error.rule, error.fix);
    }
    throw error;
  }
}

function resolve(intent: AppIntent): AppConfig {
  const clusterName = requireClusterName('clusterName', intent.clusterName ?? clusterNameFrom(intent.name));
  const awsAccount = intent.awsAccount ?? PLACEHOLDER_ACCOUNT;
  if (!/^\d{12}$/.test(awsAccount)) invalid('awsAccount', awsAccount, 'must be a 12-digit AWS account ID', 'use e.g. "111122223333"');
  const primaryRegion = requireRegion('primaryRegion', intent.primaryRegion ?? 'eu-west-1', 'use e.g. "eu-west-1"');
  const withDr = intent.disasterRecovery ?? true;
  if (!withDr) {
    for (const prop of ['secondaryRegion', 'recoveryStrategy', 'rpoMinutes', 'rtoMinutes', 'backupRetentionDays', 'dnsFailover'] as const) {
      if (intent[prop] !== undefined) {
        invalid(prop, intent[prop], 'only applies with disaster recovery, and disasterRecovery is false', `remove ${prop}, or set disasterRecovery to true`);
      }
    }
  }
  const secondaryRegion = withDr ? requireRegion('secondaryRegion', intent.secondaryRegion ?? 'eu-central-1', 'use e.g. "eu-central-1"') : undefined;
  if (secondaryRegion === primaryRegion) {
    invalid('secondaryRegion', secondaryRegion, 'must differ from primaryRegion: a region cannot be its own recovery region',
      'choose another region, e.g. "eu-central-1" for "eu-west-1"');
  }
  const profile = intent.profile ?? PlatformProfile.HIGH_AVAILABILITY;
  if (!Object.values(PlatformProfile).includes(profile)) {
    invalid('profile', profile, `must be one of ${Object.values(PlatformProfile).join(', ')}`, 'use PlatformProfile.HIGH_AVAILABILITY');
  }
  const regions = secondaryRegion ? [primaryRegion, secondaryRegion] : [primaryRegion];
  // Named zones: synth makes no AWS lookup (as in the library's example).
  const availabilityZones = Object.fromEntries(regions.map((region) => [region, ['a', 'b', 'c'].map((zone) => `${region}${zone}`)]));

  let disasterRecovery: AppConfig['disasterRecovery'];
  if (withDr) {
    const strategy = intent.recoveryStrategy ?? RecoveryStrategy.PILOT_LIGHT;
    if (!Object.values(RecoveryStrategy).includes(strategy)) {
      invalid('recoveryStrategy', strategy, `must be one of ${Object.values(RecoveryStrategy).join(', ')}`, 'use RecoveryStrategy.PILOT_LIGHT');
    }
    const intentMinutes = {
      rpoMinutes: intent.rpoMinutes ?? 60, rtoMinutes: intent.rtoMinutes ?? 60, strategy, retentionDays: intent.backupRetentionDays ?? 35,
    };
    // The platform's own derivation: refuses an RPO or RTO no strategy meets, naming the one that would.
    const plan = recoveryPlan(intentMinutes, { rpo: 'rpoMinutes', rto: 'rtoMinutes', strategy: 'recoveryStrategy', retention: 'backupRetentionDays' });
    disasterRecovery = { ...intentMinutes, retentionDays: plan.retentionDays.value };
    if (intent.dnsFailover) requireDnsFailoverOptions(intent.dnsFailover, 'dnsFailover');
    requireDnsFailoverFor(strategy, intent.dnsFailover !== undefined, 'dnsFailover');
  }

  const branch = intent.defaultReleaseBranch ?? 'main';
  const revision = intent.gitOpsRevision ?? branch;
  if (revision !== branch) {
    invalid('gitOpsRevision', revision, `must be defaultReleaseBranch ("${branch}"): the workflows build that branch and commit the image tags to it, ` +
      'so ArgoCD watching another branch would never see them', `remove gitOpsRevision, or set defaultReleaseBranch to "${revision}"`);
  }
  const credentialsPrefix = `${clusterName}/argocd/`;
  if (intent.gitOpsCredentialsSecret !== undefined && !intent.gitOpsCredentialsSecret.startsWith(credentialsPrefix)) {
    invalid('gitOpsCredentialsSecret', intent.gitOpsCredentialsSecret, `must be under "${credentialsPrefix}": the platform lets ArgoCD read only there`,
      `name it "${credentialsPrefix}repository"`);
  }
  const repoUrl = intent.gitOpsRepoUrl ?? `https://github.com/example/${clusterName}.git`;
  const ecrRepositoryPrefix = clusterName.toLowerCase();
  const services = resolveServices(intent.services ?? [{ name: 'api' }], ecrRepositoryPrefix, awsAccount, regions);
  checkWithConstructs(regions, availabilityZones, services, repoUrl, revision, disasterRecovery);
  return {
    clusterName,
    ecrRepositoryPrefix,
    branch,
    awsAccount,
    primaryRegion,
    secondaryRegion,
    regions,
    availabilityZones,
    profile,
    disasterRecovery,
    dnsFailover: withDr ? intent.dnsFailover : undefined,
    gitOps: { repoUrl, revision, directory: GITOPS_DIRECTORY, repositoryCredentialsSecret: intent.gitOpsCredentialsSecret },
    adminPrincipalArns: intent.adminPrincipalArns ?? [],
    apiEndpoint: apiEndpointChoice(intent),
    alarmEmails: (intent.alarmEmails ?? []).map((address, i) => requireEmail(`alarmEmails[${i}]`, address)),
    services,
  };
}

function resolveServices(services: ResilientEksAppService[], ecrPrefix: string, account: string, regions: string[]): ServiceConfig[] {
  if (services.length === 0) invalid('services', [], 'must list at least one service', 'add one, e.g. [{ name: "api" }]');
  return services.map((service, i) => {
    if (services.findIndex((other) => other.name === service.name) !== i) {
      invalid(`services[${i}].name`, service.name, 'names a service already listed: both would render to the same directory and namespace',
        'give every service its own name');
    }
    if (service.imageRepository !== undefined && /[:@]/.test(service.imageRepository.substring(service.imageRepository.lastIndexOf('/') + 1))) {
      invalid(`services[${i}].imageRepository`, service.imageRepository, 'must be a repository without tag or digest: the tag lives in src/gitops/image-tags.json',
        `use "${service.imageRepository.replace(/[:@][^/]*$/, '')}"`);
    }
    const cpuMillis = requireIntegerInRange(`services[${i}].cpuMillis`, service.cpuMillis ?? 250, 1, 64000, 'millicores of one container');
    const memoryMebibytes = requireIntegerInRange(`services[${i}].memoryMebibytes`, service.memoryMebibytes ?? 256, 4, 262144, 'MiB of one container');
    return {
      name: service.name,
      imageRepositories: Object.fromEntries(regions.map((region) => [region,
        service.imageRepository ?? `${account}.dkr.ecr.${region}.amazonaws.com/${ecrPrefix}/${service.name}`])),
      port: service.port ?? 8080,
      cpuMillis,
      memoryMebibytes,
      buildsImage: service.imageRepository === undefined,
    };
  });
}

/**
 * Builds, in memory, the cdk8s objects the generated repository renders, so the
 * library's constructs validate the options with their own rules and messages.
 */
function checkWithConstructs(regions: string[], zones: { [region: string]: string[] }, services: ServiceConfig[], repoUrl: string, revision: string,
  disasterRecovery: AppConfig['disasterRecovery']): void {
  const app = new App();
  const platform = new Chart(app, 'Platform');
  renamingProps({ repoUrl: 'gitOpsRepoUrl', revision: 'gitOpsRevision' },
    () => new Application(platform, 'Apps', { name: 'apps', project: 'platform', repoUrl, revision, path: `${GITOPS_DIRECTORY}/${regions[0]}` }));
  for (const region of regions) new NodePool(platform, `NodePool-${region}`, { name: 'services', nodeClassName: 'default', zones: zones[region] });
  if (disasterRecovery) {
    new VeleroSchedule(platform, 'Schedule', {
      name: 'services',
      rpo: Duration.minutes(disasterRecovery.rpoMinutes),
      retention: Duration.days(disasterRecovery.retentionDays),
    });
  }
  services.forEach((service, i) => {
    const chart = new Chart(app, `services[${i}]`, { namespace: 'validation' });
    try {
      new HaMicroservice(chart, 'Service', {
        name: service.name,
        image: `${service.imageRepositories[regions[0]]}:${INITIAL_IMAGE_TAG}`,
        containerPort: service.port,
        cpu: Cpu.millis(service.cpuMillis),
        memory: Size.mebibytes(service.memoryMebibytes),
        zones: zones[regions[0]],
      });
    } catch (error) {
      throw new Error(`${OPTION_PREFIX} services[${i}] (${JSON.stringify(service.name)}) is invalid: ${(error as Error).message} ` +
        '(HaMicroservice\'s containerPort is the option port, cpu is cpuMillis, memory is memoryMebibytes, image is imageRepository with a tag)');
    }
  });
}

/** Runs a check whose validation errors name the construct's props, and names the options they come from instead. */
function renamingProps<T>(options: { [prop: string]: string }, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof PropValidationError && options[error.prop]) {
      throw new PropValidationError(options[error.prop], error.value, error.rule, error.fix);
    }
    throw error;
  }
}

/** The API endpoint options, checked by the platform's own rule and kept only when given. */
function apiEndpointChoice(intent: AppIntent): ApiEndpointChoice {
  const choice = { publicEndpointCidrs: intent.publicEndpointCidrs, acceptPublicEndpointFromAnywhere: intent.acceptPublicEndpointFromAnywhere };
  apiEndpointExposure(choice);
  return Object.fromEntries(Object.entries(choice).filter(([, value]) => value !== undefined));
}
