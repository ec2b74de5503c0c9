import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { backupInterval, intervalCron, veleroTtl } from '../../policy/disaster-recovery';
import { invalid } from '../../policy/errors';
import { goDuration } from '../../policy/go-duration';
import { requireLabelValue, requireNamespace, requireObjectName, requireQualifiedName } from '../../policy/names';

/** The namespace the platform installs Velero into. */
export const VELERO_NAMESPACE = 'velero';

/** Properties of a {@link VeleroSchedule}. */
export interface VeleroScheduleProps {
  /** The Schedule's name (its backups are named `<name>-<timestamp>`). */
  readonly name: string;
  /** Recovery point objective: backups run at the longest regular interval within it (at least 15 minutes). */
  readonly rpo: Duration;
  /**
   * How long each backup is kept (whole days); Velero deletes it, its volume data and its snapshots afterwards.
   * @default Duration.days(35)
   */
  readonly retention?: Duration;
  /**
   * Namespaces to back up.
   * @default ["*"] - every namespace
   */
  readonly includedNamespaces?: string[];
  /**
   * Namespaces left out (applied after `includedNamespaces`).
   * @default - none
   */
  readonly excludedNamespaces?: string[];
  /**
   * Only back up resources with these labels.
   * @default - every resource of the included namespaces
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Back up cluster-scoped resources (CRDs, ClusterRoles, StorageClasses, PersistentVolumes...) too:
   * `true` all of them, `false` none.
   * @default - Velero's own rule: all of them when every namespace is backed up, otherwise only those the
   * backed-up objects need (the PersistentVolumes of their claims)
   */
  readonly includeClusterResources?: boolean;
  /**
   * Snapshot persistent volumes through CSI.
   * @default true
   */
  readonly snapshotVolumes?: boolean;
  /**
   * Move snapshot data into the backup bucket (Velero's data mover). A CSI snapshot stays in
   * the region of its volume; moved data travels with the bucket's cross-region replication,
   * so only moved data survives the loss of the region.
   * @default true
   */
  readonly moveSnapshotData?: boolean;
  /**
   * How long moving the volumes' data into the bucket may take before the backup fails
   * (Velero's `itemOperationTimeout`): the bound an RPO can count on. A failed backup is a missed run.
   * @default - Velero's own, 4 hours
   */
  readonly uploadTimeout?: Duration;
  /**
   * The BackupStorageLocation backups are written to.
   * @default "default"
   */
  readonly storageLocation?: string;
  /**
   * Create the Schedule paused (a standby region keeps its schedules paused until it serves).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * The namespace Velero runs in.
   * @default "velero"
   */
  readonly namespaceName?: string;
}

/** The settings a {@link VeleroSchedule} derived, with their reasons. */
export interface VeleroScheduleSettings {
  /** Minutes between two backups. */
  readonly intervalMinutes: number;
  /** Why that interval. */
  readonly intervalReason: string;
  /** The cron expression. */
  readonly cron: string;
  /** Each backup's time to live (Go duration). */
  readonly ttl: string;
}

/**
 * A Velero `Schedule` (velero.io/v1) whose frequency and retention follow an
 * RPO: backups of Kubernetes resources and, through CSI snapshots moved into
 * the bucket, of volume data, every interval the policy derives from the RPO.
 */
export class VeleroSchedule extends Construct {
  /** The Schedule's name. */
  public readonly name: string;
  /** What the schedule derived from the RPO and the retention. */
  public readonly settings: VeleroScheduleSettings;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: VeleroScheduleProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name);
    const interval = backupInterval(props.rpo.toMinutes({ integral: false }), 'rpo');
    const retentionDays = (props.retention ?? Duration.days(35)).toDays({ integral: false });
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      invalid('retention', `${retentionDays} days`, 'must be a whole number of days, at least 1', 'use Duration.days(35)');
    }
    const snapshotVolumes = props.snapshotVolumes ?? true;
    if (props.moveSnapshotData === true && !snapshotVolumes) {
      invalid('moveSnapshotData', true, 'needs snapshotVolumes: there is no snapshot data to move without snapshots', 'remove one of the two');
    }
    const included = (props.includedNamespaces ?? ['*']).map((ns, i) => (ns === '*' ? ns : requireNamespace(`includedNamespaces[${i}]`, ns)));
    if (included.length === 0) invalid('includedNamespaces', [], 'must list at least one namespace', 'omit it to back up every namespace');
    const excluded = (props.excludedNamespaces ?? []).map((ns, i) => requireNamespace(`excludedNamespaces[${i}]`, ns));
    const labels = props.matchLabels ?? {};
    Object.entries(labels).forEach(([key, value]) => {
      requireQualifiedName(`matchLabels key ${key}`, key);
      requireLabelValue(`matchLabels.${key}`, value);
    });
    this.settings = {
      intervalMinutes: interval.value, intervalReason: interval.reason, cron: intervalCron(interval.value), ttl: veleroTtl(retentionDays),
    };

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: this.name, namespace: requireNamespace('namespaceName', props.namespaceName ?? VELERO_NAMESPACE) },
      spec: {
        schedule: this.settings.cron,
        paused: props.paused ?? false,
        // Owner references would delete every backup with the Schedule: backups must outlive a config change.
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: included,
          ...(excluded.length > 0 ? { excludedNamespaces: excluded } : {}),
          ...(Object.keys(labels).length > 0 ? { labelSelector: { matchLabels: labels } } : {}),
          ...(props.includeClusterResources !== undefined ? { includeClusterResources: props.includeClusterResources } : {}),
          snapshotVolumes,
          snapshotMoveData: snapshotVolumes && (props.moveSnapshotData ?? true),
          storageLocation: requireObjectName('storageLocation', props.storageLocation ?? 'default'),
          ...(props.uploadTimeout ? { itemOperationTimeout: goDuration('uploadTimeout', props.uploadTimeout) } : {}),
          ttl: this.settings.ttl,
        },
      },
    });
  }
}
