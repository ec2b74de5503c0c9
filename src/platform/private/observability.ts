import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { addon } from './cluster-addons';
import { acknowledgeNag, managedPolicyFindings, wildcardResourceFindings } from './nag';
import { podIdentityRole } from './pod-identity';
import { prometheusScrapeConfiguration } from './prometheus-scrape-configuration';
import { ContainerInsightsLogs, OBSERVABILITY_ADDON_NAME, containerInsightsLogGroupName } from '../../policy/container-insights';

/** The namespace the CloudWatch Observability add-on installs its agents into. */
export const OBSERVABILITY_NAMESPACE = 'amazon-cloudwatch';

/** The service account the add-on's agent and Fluent Bit share (in OBSERVABILITY_NAMESPACE). */
const AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';

/** The log groups Container Insights writes. */
const CONTAINER_INSIGHTS_LOG_GROUPS: ContainerInsightsLogs[] = ['performance', 'application', 'dataplane', 'host'];

/** The log group Fluent Bit writes every container's lines to, and what creates it (a metric filter needs the group). */
export interface ApplicationLogs {
  readonly logGroupName: string;
  readonly created: IDependable;
}

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
  /** Where Fluent Bit writes the containers' lines, with Container Insights. */
  public readonly applicationLogs?: ApplicationLogs;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { cluster, clusterName } = props;

    // A custom resource sets the retention, creating the group if it is missing: EKS, the agent and Fluent Bit create
    // their groups themselves (without a retention), and a cluster deployed before, or a stack deleted and deployed
    // again, leaves groups behind that a CloudFormation LogGroup could not take over. The audit log is kept when
    // the stack goes: it is evidence that must outlive the cluster it describes.
    const controlPlane = new logs.LogRetention(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    cluster.node.addDependency(controlPlane);
    const destroyedGroups: string[] = [];

    if (props.containerInsights) {
      const groupNames = CONTAINER_INSIGHTS_LOG_GROUPS.map((name) => containerInsightsLogGroupName(clusterName, name));
      const groups = groupNames.map((logGroupName, i) => new logs.LogRetention(this, `ContainerInsights-${CONTAINER_INSIGHTS_LOG_GROUPS[i]}`, {
        logGroupName,
        retention: props.logRetention,
        // Metrics and container logs: nothing to keep once the cluster is gone.
        removalPolicy: RemovalPolicy.DESTROY,
      }));
      destroyedGroups.push(...groupNames);
      const application = CONTAINER_INSIGHTS_LOG_GROUPS.indexOf('application');
      this.applicationLogs = { logGroupName: groupNames[application], created: groups[application] };
      const role = podIdentityRole(this, 'AgentRole', { cluster, namespace: OBSERVABILITY_NAMESPACE, serviceAccount: AGENT_SERVICE_ACCOUNT }, [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')]);
      acknowledgeNag(role, managedPolicyFindings(['CloudWatchAgentServerPolicy'],
        'The CloudWatch agent\'s AWS managed policy, which the add-on documents and AWS keeps current with the agent.'));
      // No pin: no add-on version for Kubernetes 1.36 could be confirmed offline, and a wrong pin fails CreateAddon;
      // EKS installs the default version for the cluster's Kubernetes version instead.
      const agent = addon(this, cluster, {}, OBSERVABILITY_ADDON_NAME, {
        // Enhanced observability: per-pod and per-container status metrics (pending, crash loops, restarts) the alarms read.
        // Written out so that Application Signals, which the default configuration also turns on, stays off.
        agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
        containerLogs: { enabled: true },
      });
      (agent.node.defaultChild as CfnAddon).podIdentityAssociations = [{ roleArn: role.roleArn, serviceAccount: AGENT_SERVICE_ACCOUNT }];
      agent.node.addDependency(...groups, ...props.dependsOn);
      this.agentRole = role;
    }

    acknowledgeLogRetentionFunction(this, destroyedGroups);

    if (props.managedPrometheus) {
      // Encrypted at rest with an AWS owned key (AMP always encrypts). No customer key: whether managed collectors may
      // write to a workspace under one could not be confirmed offline, and a refusal would only show at deploy time.
      this.prometheusWorkspace = new aps.CfnWorkspace(this, 'Workspace', { alias: clusterName });
      const subnets = props.scraperSubnets.slice(0, MAX_SCRAPER_SUBNETS);
      // AMP creates the scraper's access entry (the cluster authenticates through the API); its Kubernetes user gets the
      // read-only rights AMP documents for it, so discovery and the node proxy work whatever AMP grants by itself.
      cluster.addManifest('ScraperRbac', ...scraperRbac());
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

/**
 * aws-cdk-lib's LogRetention function (one per stack) as cdk-nag sees it: the AWS managed Lambda execution policy,
 * retention changes on any group (aws-cdk-lib writes them so) and deletion of each group removed with the stack.
 */
function acknowledgeLogRetentionFunction(scope: Construct, destroyedGroups: string[]): void {
  const stack = Stack.of(scope);
  const fn = stack.node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
  if (!fn) return;
  const reason = 'aws-cdk-lib\'s LogRetention function, which sets the retention of groups that EKS and the CloudWatch agent create ' +
    'themselves: it runs with the AWS managed Lambda execution policy, may set the retention of any group, and deletes only the groups ' +
    'the stack removes.';
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  acknowledgeNag(fn, [
    ...managedPolicyFindings(['service-role/AWSLambdaBasicExecutionRole'], reason),
    ...wildcardResourceFindings(['*', ...destroyedGroups.map((name) => `arn:<AWS::Partition>:logs:${region}:<AWS::AccountId>:log-group:${name}:*`)], reason),
  ]);
}

/** The Kubernetes user AMP's managed scrapers authenticate as, and the read-only rights it documents for them. */
const SCRAPER_USER = 'aps-collector-user';

function scraperRbac(): Record<string, unknown>[] {
  const read = ['get', 'list', 'watch'];
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'aps-collector-role' },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/proxy', 'nodes/metrics', 'services', 'endpoints', 'pods', 'ingresses', 'configmaps'], verbs: read },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status', 'ingresses'], verbs: read },
        { apiGroups: ['metrics.eks.amazonaws.com'], resources: ['kcm/metrics', 'ksh/metrics'], verbs: ['get'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aps-collector-user-role-binding' },
      subjects: [{ kind: 'User', name: SCRAPER_USER, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'ClusterRole', name: 'aps-collector-role', apiGroup: 'rbac.authorization.k8s.io' },
    },
  ];
}

