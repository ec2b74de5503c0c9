import { RemovalPolicy } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { addon } from './cluster-addons';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { podIdentityRole } from './pod-identity';
import { prometheusScrapeConfiguration } from './prometheus-scrape-configuration';

/** The add-on's namespace and the service account its agent and Fluent Bit share. */
const AGENT_NAMESPACE = 'amazon-cloudwatch';
const AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';

/** The log groups Container Insights writes: performance events (the metrics' source) and Fluent Bit's three. */
const CONTAINER_INSIGHTS_LOG_GROUPS = ['performance', 'application', 'dataplane', 'host'];

/** A managed scraper takes one to five subnets. */
const MAX_SCRAPER_SUBNETS = 5;

/** Inputs of the observability stack. */
export interface ObservabilityProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly containerInsights: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly managedPrometheus: boolean;
  /** The subnets the managed scraper reaches the cluster from (the cluster's private subnets). */
  readonly scraperSubnets: ec2.ISubnet[];
  /** The add-on runs pods: it waits for the nodes and the earlier add-ons. */
  readonly dependsOn: Construct[];
}

/**
 * What the platform records: the control-plane log group with a retention
 * (EKS would create it without one), the CloudWatch Observability add-on
 * (Container Insights with enhanced observability, Fluent Bit) with its own
 * Pod Identity role and its log groups created ahead with the same
 * retention, and optionally an Amazon Managed Service for Prometheus
 * workspace fed by an agentless managed scraper.
 */
export class Observability extends Construct {
  /** The Prometheus workspace, when asked for. */
  public readonly prometheusWorkspace?: aps.CfnWorkspace;
  /** The IAM role of the CloudWatch agent and Fluent Bit (Pod Identity), with Container Insights. */
  public readonly agentRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { cluster, clusterName } = props;

    // Created before the cluster so that EKS writes into it instead of creating it with no retention. Kept when the
    // stack goes: the audit log is evidence that must outlive the cluster it describes.
    const controlPlane = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    cluster.node.addDependency(controlPlane);

    if (props.containerInsights) {
      const groups = CONTAINER_INSIGHTS_LOG_GROUPS.map((name) => new logs.LogGroup(this, `ContainerInsights-${name}`, {
        logGroupName: `/aws/containerinsights/${clusterName}/${name}`,
        retention: props.logRetention,
        // Metrics and container logs: recreated by the agent, nothing to keep once the cluster is gone.
        removalPolicy: RemovalPolicy.DESTROY,
      }));
      const role = podIdentityRole(this, 'AgentRole', [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')]);
      acknowledgeNag(role, managedPolicyFindings(['CloudWatchAgentServerPolicy'],
        'The CloudWatch agent\'s AWS managed policy, which the add-on documents and AWS keeps current with the agent.'));
      // No pin: no add-on version for Kubernetes 1.36 could be confirmed offline, and a wrong pin fails CreateAddon;
      // EKS installs the default version for the cluster's Kubernetes version instead.
      const agent = addon(this, cluster, {}, 'amazon-cloudwatch-observability', {
        // Enhanced observability: per-pod and per-container status metrics (pending, crash loops, restarts) the alarms read.
        // Written out so that Application Signals, which the default configuration also turns on, stays off.
        agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
        containerLogs: { enabled: true },
      });
      (agent.node.defaultChild as CfnAddon).podIdentityAssociations = [{ roleArn: role.roleArn, serviceAccount: AGENT_SERVICE_ACCOUNT }];
      agent.node.addDependency(...groups, ...props.dependsOn);
      this.agentRole = role;
    }

    if (props.managedPrometheus) {
      // Encrypted at rest with an AWS owned key (AMP always encrypts). No customer key: whether managed collectors may
      // write to a workspace under one could not be confirmed offline, and a refusal would only show at deploy time.
      this.prometheusWorkspace = new aps.CfnWorkspace(this, 'Workspace', { alias: clusterName });
      const subnets = props.scraperSubnets.slice(0, MAX_SCRAPER_SUBNETS);
      // AMP creates the scraper's access entry and its read-only RBAC itself (the cluster authenticates through the API).
      new aps.CfnScraper(this, 'Scraper', {
        alias: clusterName,
        source: {
          eksConfiguration: {
            clusterArn: cluster.clusterArn,
            subnetIds: subnets.map((subnet) => subnet.subnetId),
            securityGroupIds: [cluster.clusterSecurityGroupId],
          },
        },
        destination: { ampConfiguration: { workspaceArn: this.prometheusWorkspace.attrArn } },
        scrapeConfiguration: { configurationBlob: Buffer.from(JSON.stringify(prometheusScrapeConfiguration())).toString('base64') },
      });
    }
  }
}

export { AGENT_NAMESPACE, AGENT_SERVICE_ACCOUNT };
