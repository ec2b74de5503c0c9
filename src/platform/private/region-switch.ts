import { Aws, Lazy } from 'aws-cdk-lib';
import { CfnPlan } from 'aws-cdk-lib/aws-arcregionswitch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { invalid } from '../../policy/errors';
import { RegionSwitchTimeouts } from '../../policy/region-switch';

/** The names both regions and the runbooks agree on, derived from the cluster name (IAM is global: no cross-region reference). */
export interface RegionSwitchNames {
  /** The plan (at most 32 characters). */
  readonly plan: string;
  /** The drill's plan: the same steps without the DNS switch, so a drill never moves the users' traffic. */
  readonly drillPlan: string;
  /** The role Region switch assumes to run the plan; the EKS access entries of both clusters name it. */
  readonly executionRole: string;
  /** The role whose principals approve the plan's manual steps. */
  readonly approvalRole: string;
}

/** The plan name's rule (CreatePlan): letters, digits and inner hyphens, 1-32 characters. */
const PLAN_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** The names of a cluster's Region switch plan and roles. Rejects cluster names the plan name cannot carry, naming `prop`. */
export function regionSwitchNames(clusterName: string, prop = 'clusterName'): RegionSwitchNames {
  const plan = `${clusterName}-dr`;
  const drillPlan = `${clusterName}-drill`;
  if (!PLAN_NAME.test(drillPlan)) {
    invalid(prop, clusterName, `names the Region switch plans "${plan}" and "${drillPlan}", which may hold only letters, digits and hyphens, ` +
      '32 characters at most', 'use a cluster name of letters, digits and hyphens, at most 26 characters');
  }
  return { plan, drillPlan, executionRole: `${clusterName}-region-switch`, approvalRole: `${clusterName}-region-switch-approver` };
}

/** The step names the runbooks approve and watch. */
export const FAILOVER_APPROVAL_STEP = 'approve-failover';
export const FAILBACK_APPROVAL_STEP = 'approve-failback';

/** The EKS access policy Region switch needs on both clusters to scale Deployments and patch their autoscalers. */
const SCALING_ACCESS_POLICY = 'AmazonARCRegionSwitchScalingPolicy';

function scalingAccess(cluster: eks.Cluster, principalArn: string, namespace: string): void {
  // https://docs.aws.amazon.com/r53recovery/latest/dg/eks-resource-scaling-block.html: an access entry for the execution
  // role with AmazonARCRegionSwitchScalingPolicy, in both clusters, limited here to the services' namespace.
  cluster.grantAccess('RegionSwitchScaling', principalArn, [eks.AccessPolicy.fromAccessPolicyName(SCALING_ACCESS_POLICY, {
    accessScopeType: eks.AccessScopeType.NAMESPACE,
    namespaces: [namespace],
  })]);
}

/**
 * The primary's side of the plan: the execution role (created by the
 * standby's stack, named by {@link regionSwitchNames}) may scale the services
 * of the primary's cluster, which Region switch samples for the failover and
 * scales on failback. EKS refuses an access entry for a role that does not
 * exist: deploy the standby's stack first.
 */
export function grantRegionSwitchScaling(cluster: eks.Cluster, clusterName: string, namespace: string): void {
  const role = regionSwitchNames(clusterName).executionRole;
  scalingAccess(cluster, `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${role}`, namespace);
}

/** Inputs of the Region switch plan. */
export interface RegionSwitchProps {
  readonly clusterName: string;
  /** The standby's cluster, in the stack's region. */
  readonly cluster: eks.Cluster;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  readonly rtoMinutes: number;
  readonly timeouts: RegionSwitchTimeouts;
  /** The services (Deployments and autoscalers of that name) to scale, and their namespace (validated); no scaling step without them. */
  readonly services: string[];
  readonly servicesNamespace?: string;
  /** The hosted zone of the failover records, whose health-check steps the plan runs. */
  readonly hostedZoneId?: string;
  /** The public names that fail over (disasterRecovery.dnsFailover.records), one health-check step each. */
  readonly recordNames: string[];
}

/** The plan's DNS step of a workflow ("failover", "failback"): one per record, or one parallel step over several. */
export function dnsStepName(label: string, records: string[]): string {
  return records.length === 1 ? `dns-${label}-${records[0].replace(/[^a-z0-9]+/g, '-')}` : `dns-${label}`;
}

/**
 * An ARC Region switch plan (active/passive) owned by the standby's stack:
 * the plan is global (its ARN has no region), executed from the data plane
 * of the region it activates, and the stack that owns it stays deployable
 * when the primary region is lost. Two workflows, each activating one region:
 * failover (the secondary) and failback (the primary); steps in order:
 * - a manual approval where the strategy needs one ({@link regionSwitchTimeouts});
 * - EKS resource scaling of the services' Deployments in the activated
 *   cluster to the other cluster's sampled maximum (100%), their autoscalers
 *   kept from scaling down;
 * - a Route 53 health-check step per failover record name of the hosted zone
 *   in this stack (read at synth from its AWS::Route53::RecordSet resources
 *   with Failover), in parallel when there are several.
 * A second plan, the drill's, has the same approval and scaling and no DNS
 * step, so a rehearsal never moves the users' traffic (region-drill.md).
 * Every timeout comes from the RTO budget. The execution role may describe
 * both clusters, list their access policies, read the hosted zone's records
 * and the plan's application-health alarms; the approval role may approve
 * and watch this plan's executions.
 */
export class RegionSwitch extends Construct {
  public readonly plan: CfnPlan;
  /** The drill's plan: the failover's approval and scaling, no DNS step. */
  public readonly drillPlan: CfnPlan;
  public readonly executionRole: iam.Role;
  public readonly approvalRole: iam.Role;
  public readonly names: RegionSwitchNames;
  private readonly alarms: { [name: string]: string } = {};
  private alarmStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: RegionSwitchProps) {
    super(scope, id);
    this.names = regionSwitchNames(props.clusterName);
    const { primaryRegion, secondaryRegion, timeouts } = props;
    const clusterArn = (region: string) => `arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:cluster/${props.clusterName}`;
    const scaled = props.servicesNamespace !== undefined && props.services.length > 0 && timeouts.scalingMinutes !== undefined;

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: this.names.executionRole,
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `Runs the ${this.names.plan} Region switch plan`,
    });
    this.approvalRole = new iam.Role(this, 'ApprovalRole', {
      roleName: this.names.approvalRole,
      // Who may approve is decided by who may assume this role: the account's IAM policies, not this trust policy.
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Approves the manual steps of the ${this.names.plan} Region switch plan`,
    });

    type Configuration = CfnPlan.ExecutionBlockConfigurationProperty;
    const step = (name: string, description: string, type: string, configuration: Configuration): CfnPlan.StepProperty =>
      ({ name, description, executionBlockType: type, executionBlockConfiguration: configuration });
    const approval = (label: string, minutes: number, why: string) => step(`approve-${label}`, why, 'ManualApproval',
      { executionApprovalConfig: { approvalRole: this.approvalRole.roleArn, timeoutMinutes: minutes } });
    const scaling = (label: string, activated: string, other: string) => step(`scale-${label}`,
      `Scale the services in ${activated} to what ${other} ran (sampled maximum of the last 24 hours)`, 'EKSResourceScaling', {
        eksResourceScalingConfig: {
          kubernetesResourceType: { apiVersion: 'apps/v1', kind: 'Deployment' },
          eksClusters: [{ clusterArn: clusterArn(primaryRegion) }, { clusterArn: clusterArn(secondaryRegion) }],
          scalingResources: props.services.map((service) => ({
            [service]: Object.fromEntries([primaryRegion, secondaryRegion].map((region) =>
              [region, { namespace: props.servicesNamespace!, name: service, hpaName: service }])),
          })),
          targetPercent: 100,
          capacityMonitoringApproach: 'sampledMaxInLast24Hours',
          timeoutMinutes: timeouts.scalingMinutes!.value,
        },
      });
    const dns = (label: string, activated: string): CfnPlan.StepProperty[] => {
      const records = props.recordNames;
      const steps = records.map((name) => step(dnsStepName(label, [name]),
        `Send ${name} to ${activated}`, 'Route53HealthCheck', {
          route53HealthCheckConfig: {
            hostedZoneId: props.hostedZoneId!,
            recordName: name,
            // The failover records' set identifiers are their regions' names.
            recordSets: [primaryRegion, secondaryRegion].map((region) => ({ recordSetIdentifier: region, region })),
            timeoutMinutes: timeouts.dnsMinutes.value,
          },
        }));
      return steps.length > 1 ? [step(dnsStepName(label, records), `Send every failover record to ${activated}`, 'Parallel', { parallelConfig: { steps } })] : steps;
    };
    const workflow = (label: string, activated: string, other: string, approvalMinutes: number | undefined, why: string, withDns: boolean):
    CfnPlan.WorkflowProperty => ({
      workflowTargetAction: 'activate',
      workflowTargetRegion: activated,
      workflowDescription: `${label}: serve from ${activated}`,
      steps: [
        ...(approvalMinutes !== undefined ? [approval(label, approvalMinutes, why)] : []),
        ...(scaled ? [scaling(label, activated, other)] : []),
        ...(withDns ? dns(label, activated) : []),
      ],
    });
    const plan = (planId: string, name: string, description: string, withDns: boolean, purpose: string) => {
      const created = new CfnPlan(this, planId, {
        name,
        description,
        executionRole: this.executionRole.roleArn,
        recoveryApproach: 'activePassive',
        regions: [primaryRegion, secondaryRegion],
        primaryRegion,
        recoveryTimeObjectiveMinutes: props.rtoMinutes,
        // Read at synth: the failover records and the alarms may be added to the stack after this construct.
        workflows: Lazy.any({
          produce: () => [
            workflow('failover', secondaryRegion, primaryRegion, timeouts.failoverApprovalMinutes?.value,
              `Confirm ${primaryRegion} will not serve within the RTO, and restore the services' volumes (failover.md) before approving`, withDns),
            workflow('failback', primaryRegion, secondaryRegion, timeouts.failbackApprovalMinutes.value,
              `Approve once ${secondaryRegion}'s final backup is restored in ${primaryRegion} (failback.md)`, withDns),
          ],
        }),
        associatedAlarms: Lazy.any({
          produce: () => (Object.keys(this.alarms).length === 0 ? undefined : Object.fromEntries(Object.entries(this.alarms)
            .map(([alarm, arn]) => [alarm, { alarmType: 'applicationHealth', resourceIdentifier: arn }]))),
        }),
        // The report tells the failover plan from the drill's by its purpose.
        tags: { cluster: props.clusterName, purpose },
      });
      // Plan evaluation checks the role's permissions from the start. (The approval role's policy names the plans: no dependency that way.)
      created.node.addDependency(this.executionRole);
      return created;
    };
    this.plan = plan('Plan', this.names.plan, `Fails ${props.clusterName} over from ${primaryRegion} to ${secondaryRegion} and back`, true, 'failover');
    this.drillPlan = plan('DrillPlan', this.names.drillPlan,
      `Rehearses ${props.clusterName}'s failover to ${secondaryRegion} (approval and scaling) without moving traffic`, false, 'drill');

    if (scaled) {
      this.executionRole.addToPolicy(new iam.PolicyStatement({
        actions: ['eks:DescribeCluster'],
        resources: [clusterArn(primaryRegion), clusterArn(secondaryRegion)],
      }));
      const accessEntries = (region: string) => `arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:access-entry/${props.clusterName}/*`;
      this.executionRole.addToPolicy(new iam.PolicyStatement({
        actions: ['eks:ListAssociatedAccessPolicies'],
        resources: [accessEntries(primaryRegion), accessEntries(secondaryRegion)],
      }));
      acknowledgeNag(this.executionRole, wildcardResourceFindings([primaryRegion, secondaryRegion].map((region) =>
        `arn:<AWS::Partition>:eks:${region}:<AWS::AccountId>:access-entry/${props.clusterName}/*`),
      'EKS names an access entry by its principal and a generated ID; the wildcard stays within this cluster\'s access entries, which Region switch reads to check its own.'));
      scalingAccess(props.cluster, this.executionRole.roleArn, props.servicesNamespace!);
    }
    if (props.hostedZoneId) {
      this.executionRole.addToPolicy(new iam.PolicyStatement({
        actions: ['route53:ListResourceRecordSets'],
        resources: [`arn:${Aws.PARTITION}:route53:::hostedzone/${props.hostedZoneId}`],
      }));
    }
    this.approvalRole.addToPolicy(new iam.PolicyStatement({
      actions: ['arc-region-switch:ApprovePlanExecutionStep', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutionEvents'],
      resources: [this.plan.attrArn, this.drillPlan.attrArn],
    }));
  }

  /**
   * Associates a CloudWatch alarm with the plan as an application-health
   * alarm: Region switch shows its state with each execution, and the drill
   * runbook cancels an execution while it is in ALARM.
   */
  public addApplicationHealthAlarm(name: string, alarmArn: string): void {
    this.alarms[name] = alarmArn;
    if (!this.alarmStatement) {
      // https://docs.aws.amazon.com/r53recovery/latest/dg/plan-evaluation.html: the plan's role reads its application-health alarms.
      this.alarmStatement = new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], resources: [alarmArn] });
      this.executionRole.addToPolicy(this.alarmStatement);
    } else {
      this.alarmStatement.addResources(alarmArn);
    }
  }
}
