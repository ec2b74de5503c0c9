import { Aws, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { BACKUP_TAG, Backups } from './backups';
import { EksBackup } from './eks-backup';
import { ExternalDns } from './external-dns';
import { FailoverRecords } from './failover-records';
import { requireRecoveryClusterName } from './recovery-names';
import {
  FAILBACK_APPROVAL_STEP, FAILOVER_APPROVAL_STEP, RegionSwitch, RegionSwitchNames, grantRegionSwitchScaling, regionSwitchNames,
} from './region-switch';
import { ResilienceHub } from './resilience-hub';
import { Velero } from './velero';
import { RecoveryPlan, recoveryPlan } from '../../policy/disaster-recovery';
import { requireDnsFailoverFor, requireDnsFailoverOptions } from '../../policy/dns-failover';
import { invalid } from '../../policy/errors';
import { requireNamespace, requireRegion } from '../../policy/names';
import { RegionSwitchTimeouts, regionSwitchTimeouts } from '../../policy/region-switch';
import { RESILIENCE_HUB_V2_REGIONS } from '../../versions';
import { DisasterRecoveryOptions, RecoveryStrategy, VaultLockMode } from '../disaster-recovery-options';

/** Which side of the recovery pair a platform is. */
export type RegionRole = 'primary' | 'standby';

/** The plan and this platform's role in it, from the options both regions share. */
export interface RecoverySetup {
  readonly plan: RecoveryPlan;
  readonly role: RegionRole;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
}

/**
 * Validates the options and decides the platform's role from its stack's
 * region: the same options serve both regions' stacks.
 */
export function recoverySetup(options: DisasterRecoveryOptions, clusterName: string, stackRegion: string): RecoverySetup {
  requireRecoveryClusterName('clusterName', clusterName);
  const primaryRegion = requireRegion('disasterRecovery.primaryRegion', options.primaryRegion, 'pass the region the platform serves from');
  const secondaryRegion = requireRegion('disasterRecovery.secondaryRegion', options.secondaryRegion, 'pass the recovery region');
  if (primaryRegion === secondaryRegion) {
    invalid('disasterRecovery.secondaryRegion', secondaryRegion, 'must differ from primaryRegion: a copy in the same region does not survive its loss', 'pick another region');
  }
  if (Token.isUnresolved(stackRegion) || ![primaryRegion, secondaryRegion].includes(stackRegion)) {
    invalid('disasterRecovery', `stack region ${Token.isUnresolved(stackRegion) ? '(not set)' : stackRegion}`,
      `needs the platform's stack in disasterRecovery.primaryRegion (${primaryRegion}) or secondaryRegion (${secondaryRegion}): the region decides whether it is the primary or the standby`,
      `set env: { region: '${primaryRegion}' } (or '${secondaryRegion}' for the standby) on the stack`);
  }
  const strategy = options.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE;
  const plan = recoveryPlan({
    rpoMinutes: options.rpo.toMinutes({ integral: false }),
    rtoMinutes: options.rto.toMinutes({ integral: false }),
    strategy,
    retentionDays: options.retention?.toDays({ integral: false }),
  }, { rpo: 'disasterRecovery.rpo', rto: 'disasterRecovery.rto', strategy: 'disasterRecovery.strategy', retention: 'disasterRecovery.retention' });
  if (options.dnsFailover) requireDnsFailoverOptions(options.dnsFailover, 'disasterRecovery.dnsFailover');
  requireDnsFailoverFor(strategy, options.dnsFailover !== undefined, 'disasterRecovery.dnsFailover');
  return { plan, role: stackRegion === primaryRegion ? 'primary' : 'standby', primaryRegion, secondaryRegion };
}

/** Inputs of the platform's disaster recovery. */
export interface DisasterRecoveryProps {
  readonly setup: RecoverySetup;
  readonly options: DisasterRecoveryOptions;
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly ebsCsiDriver: eks.Addon;
  readonly ecrRepositoryPrefix: string;
  /** The platform's services: the Region switch plan scales their Deployments. */
  readonly services: string[];
  readonly dependsOn: IDependable[];
}

/** What the runbooks say of the Region switch plan. */
export interface RegionSwitchFacts {
  readonly names: RegionSwitchNames;
  readonly timeouts: RegionSwitchTimeouts;
  /** The approval steps of each workflow, when it has one. */
  readonly failoverApprovalStep?: string;
  readonly failbackApprovalStep: string;
  /** The namespace and autoscalers the plan scales, when it scales. */
  readonly scaled?: { readonly namespace: string; readonly services: string[] };
  /** The failover records the plan's DNS steps switch, read from the stack when asked (after the app has added its records). */
  readonly dnsRecordNames: () => string[];
}

/**
 * Everything disaster recovery adds to a platform. The primary: AWS Backup
 * (volumes tagged through the EBS CSI driver, and the cluster's own composite
 * backups: EksBackup), Velero writing to its bucket
 * replicated to the recovery region, and ECR replication of the service
 * images. The standby: Velero reading the primary's replicated backups, its
 * own schedule paused until it serves, and the ARC Region switch plan that
 * fails over and back (RegionSwitch). Both, when DNS failover is asked for:
 * their half of each Route 53 failover pair and ExternalDNS publishing the
 * regional names those records point at; and the plan's access to the
 * services of their cluster, when it scales them.
 */
export class DisasterRecovery extends Construct {
  public readonly backups?: Backups;
  public readonly velero: Velero;
  /** The Region switch plan, in the standby's stack. */
  public readonly regionSwitch?: RegionSwitch;
  public readonly regionSwitchFacts: RegionSwitchFacts;

  constructor(scope: Construct, id: string, props: DisasterRecoveryProps) {
    super(scope, id);
    const { setup, cluster } = props;
    const primary = setup.role === 'primary';
    if (primary) {
      this.backups = new Backups(this, 'Backups', {
        clusterName: props.clusterName,
        secondaryRegion: setup.secondaryRegion,
        vaultLock: props.options.vaultLock ?? VaultLockMode.GOVERNANCE,
        plan: setup.plan,
      });
      new EksBackup(this, 'EksBackup', { cluster, backups: this.backups });
      // Only where the service exists: a stack that names it elsewhere fails to deploy.
      if (RESILIENCE_HUB_V2_REGIONS.includes(setup.primaryRegion)) {
        new ResilienceHub(this, 'ResilienceHub', { setup, options: props.options, clusterName: props.clusterName });
      }
      // Every volume the EBS CSI driver creates carries the tag the backup plan selects by. Set on the driver,
      // not on the StorageClass, whose parameters Kubernetes never lets change once it exists.
      (props.ebsCsiDriver.node.defaultChild as CfnAddon).configurationValues =
        JSON.stringify({ controller: { extraVolumeTags: { [BACKUP_TAG]: this.backups.tagValue } } });

      // One replication configuration per registry and region: ECR copies each image pushed under the prefix.
      new ecr.CfnReplicationConfiguration(this, 'ImageReplication', {
        replicationConfiguration: {
          rules: [{
            destinations: [{ region: setup.secondaryRegion, registryId: Aws.ACCOUNT_ID }],
            repositoryFilters: [{ filter: props.ecrRepositoryPrefix, filterType: 'PREFIX_MATCH' }],
          }],
        },
      });
    }
    if (props.options.dnsFailover) {
      const region = primary ? setup.primaryRegion : setup.secondaryRegion;
      new ExternalDns(this, 'ExternalDns', {
        cluster,
        clusterName: props.clusterName,
        region,
        options: props.options.dnsFailover,
        dependsOn: props.dependsOn,
      });
      new FailoverRecords(this, 'FailoverRecords', { options: props.options.dnsFailover, role: setup.role, region });
    }
    const strategy = props.options.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE;
    const rtoMinutes = props.options.rto.toMinutes({ integral: false });
    const timeouts = regionSwitchTimeouts(strategy, rtoMinutes, 'disasterRecovery.rto');
    const namespace = props.options.servicesNamespace;
    if (namespace !== undefined) requireNamespace('disasterRecovery.servicesNamespace', namespace);
    const scaled = namespace !== undefined && props.services.length > 0 && timeouts.scalingMinutes !== undefined
      ? { namespace, services: props.services } : undefined;
    const recordNames = (props.options.dnsFailover?.records ?? []).map((record) => record.name).sort();
    this.regionSwitchFacts = {
      names: regionSwitchNames(props.clusterName),
      timeouts,
      failoverApprovalStep: timeouts.failoverApprovalMinutes ? FAILOVER_APPROVAL_STEP : undefined,
      failbackApprovalStep: FAILBACK_APPROVAL_STEP,
      scaled,
      dnsRecordNames: () => recordNames,
    };
    if (primary && scaled) {
      grantRegionSwitchScaling(cluster, props.clusterName, scaled.namespace);
    } else if (!primary) {
      this.regionSwitch = new RegionSwitch(this, 'RegionSwitch', {
        clusterName: props.clusterName,
        cluster,
        primaryRegion: setup.primaryRegion,
        secondaryRegion: setup.secondaryRegion,
        rtoMinutes,
        timeouts,
        services: scaled?.services ?? [],
        servicesNamespace: scaled?.namespace,
        hostedZoneId: props.options.dnsFailover?.hostedZoneId,
        recordNames,
      });
    }
    this.velero = new Velero(this, 'Velero', {
      cluster,
      clusterName: props.clusterName,
      plan: setup.plan,
      primaryRegion: setup.primaryRegion,
      secondaryRegion: setup.secondaryRegion,
      standby: !primary,
      dependsOn: props.dependsOn,
    });
  }
}
