import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The one service account, of one namespace of one cluster, that may take a Pod Identity role. */
export interface PodIdentitySubject {
  readonly cluster: eks.ICluster;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * A role that EKS Pod Identity can hand to one service account, and to no
 * other: Pod Identity tags every assumption with the cluster's ARN, the
 * namespace and the service account
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html), and the
 * trust policy requires all three, so an association made for another
 * cluster (of this account or not), namespace or service account is refused.
 * The associations keep their session tags (disableSessionTags is never set).
 */
export function podIdentityRole(scope: Construct, id: string, subject: PodIdentitySubject, managedPolicies: iam.IManagedPolicy[] = []): iam.Role {
  const conditions = {
    StringEquals: {
      'aws:RequestTag/eks-cluster-arn': subject.cluster.clusterArn,
      'aws:RequestTag/kubernetes-namespace': subject.namespace,
      'aws:RequestTag/kubernetes-service-account': subject.serviceAccount,
    },
  };
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('pods.eks.amazonaws.com'), conditions),
    managedPolicies,
  });
  // Pod Identity passes those session tags with every assumption.
  role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
    actions: ['sts:TagSession'],
    principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
    conditions,
  }));
  return role;
}

/** Associates a role with its subject's service account through EKS Pod Identity (no OIDC provider, no annotations). */
export function associatePodIdentity(scope: Construct, id: string, subject: PodIdentitySubject, role: iam.IRole): CfnPodIdentityAssociation {
  return new CfnPodIdentityAssociation(scope, id, {
    clusterName: subject.cluster.clusterName, namespace: subject.namespace, serviceAccount: subject.serviceAccount, roleArn: role.roleArn,
  });
}
