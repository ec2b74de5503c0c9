import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** A role that EKS Pod Identity can hand to a service account. */
export function podIdentityRole(scope: Construct, id: string, managedPolicies: iam.IManagedPolicy[] = []): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
    managedPolicies,
  });
  // Pod Identity passes session tags (cluster, namespace, service account) with every assumption.
  role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
    actions: ['sts:TagSession'],
    principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
  }));
  return role;
}

/** Associates a role with a service account through EKS Pod Identity (no OIDC provider, no annotations). */
export function associatePodIdentity(scope: Construct, id: string, cluster: eks.Cluster, namespace: string, serviceAccount: string,
  role: iam.IRole): CfnPodIdentityAssociation {
  return new CfnPodIdentityAssociation(scope, id, { clusterName: cluster.clusterName, namespace, serviceAccount, roleArn: role.roleArn });
}
