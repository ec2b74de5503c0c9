import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as resiliencehub from 'aws-cdk-lib/aws-resiliencehubv2';
import { Construct } from 'constructs';
import { RecoverySetup } from './disaster-recovery';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { DisasterRecoveryOptions, RecoveryStrategy } from '../disaster-recovery-options';

/**
 * Resilience Hub's names for the recovery strategies (MultiRegionTargets
 * DisasterRecoveryApproach: ACTIVE_ACTIVE | HOT_STANDBY | WARM_STANDBY |
 * PILOT_LIGHT | BACKUP_AND_RESTORE,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resiliencehubv2-policy-multiregiontargets.html).
 */
const APPROACHES: Record<RecoveryStrategy, string> = {
  [RecoveryStrategy.BACKUP_AND_RESTORE]: 'BACKUP_AND_RESTORE',
  [RecoveryStrategy.PILOT_LIGHT]: 'PILOT_LIGHT',
  [RecoveryStrategy.WARM_STANDBY]: 'WARM_STANDBY',
};

/**
 * The managed policy next-generation Resilience Hub documents for the role
 * its assessments assume (read-only discovery of the service's resources):
 * https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-security-iam-awsmanpol.html
 */
const ASSESSMENT_POLICY = 'AWSResilienceHubV2AssessmentExecutionPolicy';

/** Inputs of the Resilience Hub service. */
export interface ResilienceHubProps {
  readonly setup: RecoverySetup;
  readonly options: DisasterRecoveryOptions;
  readonly clusterName: string;
}

/**
 * The platform's recovery targets in AWS Resilience Hub (next generation,
 * AWS::ResilienceHubV2), so that AWS assesses the same RTO and RPO the
 * resilience report holds the templates to: a policy with the multi-Region
 * targets and strategy, and a service over this stack (its EKS cluster, node
 * groups, network, vault and buckets) in both regions, with the role its
 * assessments assume.
 *
 * The service could also name the cluster as an EKS input source (a cluster
 * ARN and up to ten namespaces), which needs a Kubernetes group with read
 * access for that role: the platform does not know the services' namespaces,
 * so it covers the cluster through its stack.
 */
export class ResilienceHub extends Construct {
  public readonly policy: resiliencehub.CfnPolicy;
  public readonly service: resiliencehub.CfnService;

  constructor(scope: Construct, id: string, props: ResilienceHubProps) {
    super(scope, id);
    const { setup, options, clusterName } = props;
    const strategy = options.strategy ?? RecoveryStrategy.BACKUP_AND_RESTORE;
    this.policy = new resiliencehub.CfnPolicy(this, 'Policy', {
      name: `${clusterName}-regional-recovery`,
      description: `${clusterName}: the disasterRecovery targets of the platform (${strategy} from ${setup.primaryRegion} to ${setup.secondaryRegion})`,
      // No DataRecovery target: the RPO is held by Velero's schedule and replication, which Resilience Hub does not read;
      // AWS Backup's hourly rule is a second line (see the resilience report's dr-rpo row).
      multiRegion: {
        disasterRecoveryApproach: APPROACHES[strategy],
        rpoInMinutes: options.rpo.toMinutes(),
        rtoInMinutes: options.rto.toMinutes(),
      },
    });
    const role = new iam.Role(this, 'AssessmentRole', {
      assumedBy: new iam.ServicePrincipal('resiliencehub.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(ASSESSMENT_POLICY)],
      description: `Assumed by Resilience Hub to read the resources of ${clusterName} it assesses`,
    });
    this.service = new resiliencehub.CfnService(this, 'Service', {
      name: clusterName,
      description: `The ${clusterName} platform, assessed against its regional recovery targets`,
      policyArn: this.policy.attrPolicyArn,
      regions: [setup.primaryRegion, setup.secondaryRegion],
      inputSources: [{ resourceConfiguration: { cfnStackArn: Aws.STACK_ID } }],
      permissionModel: { invokerRoleName: role.roleName },
    });
    acknowledgeNag(role, managedPolicyFindings([ASSESSMENT_POLICY],
      'Resilience Hub documents this AWS managed policy for the role its assessments assume; AWS keeps it current with what they read.'));
  }
}
