import * as logs from 'aws-cdk-lib/aws-logs';

/** What the platform records about itself and its workloads. */
export interface ObservabilityOptions {
  /**
   * Install the Amazon CloudWatch Observability add-on: Container Insights with
   * enhanced observability (node, pod and container metrics, the alarms' source)
   * and Fluent Bit shipping container and node logs to CloudWatch Logs.
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * How long the Container Insights, container, node and control-plane log groups keep their events.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Create an Amazon Managed Service for Prometheus workspace (encrypted at rest
   * with an AWS owned key) and an agentless managed scraper that collects the
   * cluster's Prometheus metrics (kubelet, cAdvisor, API server, and every pod
   * annotated `prometheus.io/scrape: "true"`). With disaster recovery and
   * alerting, the workspace also pages when a Velero backup fails or none
   * succeeded for two backup intervals.
   * @default false
   */
  readonly managedPrometheus?: boolean;
}
