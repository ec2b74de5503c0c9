/** The EKS add-on that installs Container Insights (the CloudWatch agent and Fluent Bit). */
export const OBSERVABILITY_ADDON_NAME = 'amazon-cloudwatch-observability';

/** What Container Insights writes: performance events (the metrics' source) and Fluent Bit's three groups. */
export type ContainerInsightsLogs = 'performance' | 'application' | 'dataplane' | 'host';

/**
 * The log group Container Insights writes one kind of record to for a cluster
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-setup-logs-FluentBit.html):
 * the platform creates these groups ahead, and the report reads the filters on them.
 */
export function containerInsightsLogGroupName(clusterName: string, logs: ContainerInsightsLogs): string {
  return `/aws/containerinsights/${clusterName}/${logs}`;
}
