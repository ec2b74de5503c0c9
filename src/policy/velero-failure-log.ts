/**
 * How a failed Velero backup shows in the Velero server's log, which the
 * CloudWatch Observability add-on's Fluent Bit ships to Container Insights'
 * `application` log group: one JSON event per line, the line in `log` and
 * the pod's `kubernetes.namespace_name` and `kubernetes.container_name`
 * beside it (Merge_Log keeps a text line in `log`:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-setup-logs-FluentBit.html,
 * aws/aws-for-fluent-bit use_cases/k8s-metadata-customize-tag).
 *
 * Velero writes text lines by default (the chart leaves `configuration.logFormat`
 * unset). A backup that fails or partially fails leaves one of these messages
 * (velero-io/velero v1.18.2: pkg/controller/backup_controller.go
 * `"backup failed"` and `"Initial backup processing complete, moving to %s"`;
 * backup_operations_controller.go `"Marking backup %s FinalizingPartiallyFailed"`
 * and `"...; marking backup PartiallyFailed"`), while a backup that completes
 * logs `moving to Finalizing` or `moving to WaitingForPluginOperations` and
 * nothing below. The container of the Velero server in the chart's Deployment
 * is `velero` (vmware-tanzu/helm-charts charts/velero/templates/deployment.yaml).
 */
export const VELERO_SERVER_CONTAINER = 'velero';

/** Lines of a Velero server that a failed or partially failed backup leaves, as Velero v1.18.2 writes them. */
export const VELERO_BACKUP_FAILURE_LINES: readonly string[] = [
  'time="2026-12-04T10:15:03Z" level=error msg="backup failed" backup=velero/services-20261204101500 controller=backup error="rpc error"',
  'time="2026-12-04T10:15:03Z" level=info msg="Initial backup processing complete, moving to Failed" backup=velero/services-20261204101500',
  'time="2026-12-04T10:15:03Z" level=info msg="Initial backup processing complete, moving to FinalizingPartiallyFailed" backup=velero/services-20261204101500',
  'time="2026-12-04T10:15:03Z" level=info msg="Initial backup processing complete, moving to WaitingForPluginOperationsPartiallyFailed" backup=velero/services-20261204101500',
  'time="2026-12-04T10:29:41Z" level=info msg="Marking backup services-20261204101500 FinalizingPartiallyFailed" backup=velero/services-20261204101500',
  'time="2026-12-04T10:29:41Z" level=warning msg="Cannot check progress on Backup operations because backup storage location default does not exist; marking backup PartiallyFailed"',
];

/** Lines of a Velero server whose backups complete, or of restores: none of them is a failed backup. */
export const VELERO_ORDINARY_LINES: readonly string[] = [
  'time="2026-12-04T10:15:03Z" level=info msg="Initial backup processing complete, moving to Finalizing" backup=velero/services-20261204101500',
  'time="2026-12-04T10:15:03Z" level=info msg="Initial backup processing complete, moving to WaitingForPluginOperations" backup=velero/services-20261204101500',
  'time="2026-12-04T10:29:41Z" level=info msg="Marking backup services-20261204101500 Finalizing" backup=velero/services-20261204101500',
  'time="2026-12-04T11:02:10Z" level=info msg="Marking restore failover-20261204 FinalizingPartiallyFailed" restore=velero/failover-20261204',
];

/**
 * The regular expression, in the subset CloudWatch Logs filter patterns accept
 * (letters, digits, `:_#=@/;,-` and the operators `^$?[]{}|\*+.`; no spaces
 * and no parentheses: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html),
 * that matches each of {@link VELERO_BACKUP_FAILURE_LINES} and none of
 * {@link VELERO_ORDINARY_LINES}. A `.` stands for each space.
 */
export const VELERO_BACKUP_FAILURE_REGEX =
  'backup.failed|moving.to.Failed|moving.to.[A-Za-z]*PartiallyFailed|Marking.backup.[a-z0-9.-]+.FinalizingPartiallyFailed|marking.backup.PartiallyFailed';
