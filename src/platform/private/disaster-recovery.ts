import { Aws, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { BACKUP_TAG, Backups } from './backups';
import { ExternalDns } from './external-dns';
import { requireRecoveryClusterName } from './recovery-names';
import { Velero } from './velero';
import { RecoveryPlan, recoveryPlan } from '../../policy/disaster-recovery';
import { invalid } from '../../policy/errors';
import { requireRegion } from '../../policy/names';
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
  const plan = recoveryPlan({
    rpoMinutes: options.rpo.toMinutes({ integral: false }),
    rtoMinutes: options.rto.toMinutes({ integral: false }),
    strategy: options.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE,
    retentionDays: options.retention?.toDays({ integral: false }),
  }, { rpo: 'disasterRecovery.rpo', rto: 'disasterRecovery.rto', strategy: 'disasterRecovery.strategy', retention: 'disasterRecovery.retention' });
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
  readonly dependsOn: IDependable[];
}

/**
 * Everything disaster recovery adds to a platform. The primary: AWS Backup
 * (volumes tagged through the EBS CSI driver), Velero writing to its bucket
 * replicated to the recovery region, and ECR replication of the service
 * images. The standby: Velero reading the primary's replicated backups, its
 * own schedule paused until it serves. Both: ExternalDNS writing the Route 53
 * failover records, when DNS failover is asked for.
 */
export class DisasterRecovery extends Construct {
  public readonly backups?: Backups;
  public readonly velero: Velero;

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
      new ExternalDns(this, 'ExternalDns', {
        cluster,
        clusterName: props.clusterName,
        region: primary ? setup.primaryRegion : setup.secondaryRegion,
        options: props.options.dnsFailover,
        dependsOn: props.dependsOn,
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
