import { Duration } from 'aws-cdk-lib';

/** How the platform recovers from the loss of its region. */
export enum RecoveryStrategy {
  /** Backups and images in the secondary region; the platform is deployed there from code when needed (RTO: hours). */
  BACKUP_AND_RESTORE = 'backup-and-restore',
  /** A minimal platform runs in the secondary region and scales out on failover (RTO: tens of minutes). */
  PILOT_LIGHT = 'pilot-light',
  /** A reduced copy serves in the secondary region and takes traffic at once (RTO: minutes). */
  WARM_STANDBY = 'warm-standby',
}

/** A public name that Route 53 fails over between the two regions. */
export interface DnsFailoverRecord {
  /**
   * The name clients use (e.g. "www.shop.example.com"), below the zone: the
   * service's `expose.host`. Route 53 answers it with a CNAME to the region
   * that passes its health check.
   */
  readonly name: string;
  /**
   * The path Route 53 health-checks over HTTPS on each region's load balancer
   * (a path the service's Ingress routes, e.g. its readiness path).
   * @default "/"
   */
  readonly healthCheckPath?: string;
  /**
   * The Route 53 health checks the Region switch plan created for this name,
   * by region ("eu-west-1" to its ID), as the failover runbook's step 0 lists
   * them after the standby's first deployment. With them, each region's
   * record is healthy only while both its HTTPS check and the plan's check
   * are (a calculated health check of the two): the plan's DNS steps then
   * move traffic even while the primary still answers, and a primary that
   * comes back does not take the traffic back before the failback plan says
   * so.
   * @default - none: only the HTTPS checks decide, the plan's DNS steps move
   * no traffic, and the report's dr-dns-failover row fails until they are set
   */
  readonly regionSwitchHealthCheckIds?: { [region: string]: string };
}

/**
 * How a backup vault is locked (AWS Backup Vault Lock). A locked vault refuses
 * to delete a recovery point, or shorten its lifecycle, before its retention
 * ends, and fails any backup or copy job kept less than 7 days, so a stolen
 * credential or a rewritten plan cannot destroy the backups a recovery needs.
 */
export enum VaultLockMode {
  /**
   * Locked, and the lock can be removed by a principal allowed
   * `backup:DeleteBackupVaultLockConfiguration`: protects against everyone
   * else, and stays reversible.
   */
  GOVERNANCE = 'governance',
  /**
   * Locked for good three days after deployment: from then on nobody, the
   * root user and AWS included, can remove the lock or delete a recovery
   * point before it expires, and the vault cannot be deleted while it holds
   * any. For backups a regulation requires to be immutable.
   */
  COMPLIANCE = 'compliance',
  /**
   * No lock: recovery points can be deleted at any time. For retentions under
   * 7 days, or accounts where backups must be erasable on demand (a
   * short-lived test account, an erasure obligation that reaches backups).
   */
  NONE = 'none',
}

/**
 * Route 53 failover of the services' public names between the two regions,
 * per service. For each record, each region's platform stack writes its own
 * failover CNAME (PRIMARY in the primary region, SECONDARY in the standby),
 * pointing at the region's own name for the service ("<region>.<name>"), and a
 * Route 53 HTTPS health check of that name. ExternalDNS in each cluster
 * publishes the regional name of the Ingresses that ask for it
 * (HaMicroservice `expose.dnsFailover`) and nothing else, so the clusters
 * never contend for a record and a failed service fails over alone.
 */
export interface DnsFailoverOptions {
  /** The Route 53 hosted zone holding the names (e.g. "Z0123456789ABCDEFGHIJ"). */
  readonly hostedZoneId: string;
  /** The zone's domain (e.g. "shop.example.com"): ExternalDNS touches no other name. */
  readonly zoneName: string;
  /** The public names that fail over, one per exposed service (at least one). */
  readonly records: DnsFailoverRecord[];
}

/** Backup and disaster recovery, from the data loss and downtime the business accepts. */
export interface DisasterRecoveryOptions {
  /** Recovery point objective: the most data, in time, a disaster may lose (at least 15 minutes). */
  readonly rpo: Duration;
  /** Recovery time objective: the longest a regional disaster may interrupt service. */
  readonly rto: Duration;
  /**
   * The region the platform serves from. Pass the same options to the platform of both regions:
   * the one whose stack is in `primaryRegion` is the primary, the one in `secondaryRegion` the standby.
   */
  readonly primaryRegion: string;
  /**
   * The region backups are copied to and the platform recovers in. Deploy a RecoveryRegion
   * there (same cluster name) before the first backup is copied.
   */
  readonly secondaryRegion: string;
  /**
   * The strategy; it must be able to meet the RTO.
   * @default RecoveryStrategy.BACKUP_AND_RESTORE
   */
  readonly strategy?: RecoveryStrategy;
  /**
   * How long backups are kept (whole days).
   * @default Duration.days(35)
   */
  readonly retention?: Duration;
  /**
   * How the backup vault is locked: recovery points cannot be deleted before their retention ends,
   * and every backup must be kept at least 7 days. Pass the same mode to the RecoveryRegion, whose
   * copy vault is locked the same way.
   * @default VaultLockMode.GOVERNANCE
   */
  readonly vaultLock?: VaultLockMode;
  /**
   * Fail the public names over between the regions with Route 53 (installs ExternalDNS).
   * @default - no DNS failover: point clients at the recovery region by hand
   */
  readonly dnsFailover?: DnsFailoverOptions;
  /**
   * The namespace the platform's `services` run in (HaMicroservice Deployments and autoscalers named after each
   * service). The Region switch plan scales them in the region it activates to the other region's capacity
   * (pilot light and warm standby).
   * @default - no scaling step: the services start at their autoscalers' minimum and scale as load asks
   */
  readonly servicesNamespace?: string;
}
