import { Duration } from 'aws-cdk-lib';
import { RecoveryStrategy } from '../../src';
import { synthPlatform } from '../helpers/platform';

/**
 * Follows every Pod Identity association of a platform with disaster recovery
 * (every role the platform hands to pods) to its role, and checks the role
 * trusts that association's cluster, namespace and service account only.
 */
describe('every Pod Identity role trusts only the service account it is associated with', () => {
  const { template } = synthPlatform({
    disasterRecovery: {
      rpo: Duration.hours(1),
      rto: Duration.hours(1),
      primaryRegion: 'eu-west-1',
      secondaryRegion: 'eu-central-1',
      strategy: RecoveryStrategy.PILOT_LIGHT,
      dnsFailover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'shop.example.com', records: [{ name: 'www.shop.example.com' }] },
    },
  });
  const roles = template.findResources('AWS::IAM::Role');
  const cluster = Object.keys(template.findResources('AWS::EKS::Cluster'))[0];
  const addonNamespaces: Record<string, string> = { 'aws-ebs-csi-driver': 'kube-system', 'amazon-cloudwatch-observability': 'amazon-cloudwatch' };
  const associations = [
    ...Object.values<any>(template.findResources('AWS::EKS::PodIdentityAssociation')).map((a) => a.Properties),
    ...Object.values<any>(template.findResources('AWS::EKS::Addon')).flatMap((addon) => (addon.Properties.PodIdentityAssociations ?? [])
      .map((a: any) => ({ ...a, Namespace: addonNamespaces[addon.Properties.AddonName] }))),
  ];

  test('the platform hands roles to its controllers (Karpenter, the Load Balancer Controller, External Secrets, ExternalDNS, Velero, EBS CSI, CloudWatch)', () => {
    expect(associations.map((a) => `${a.Namespace}/${a.ServiceAccount}`).sort()).toEqual([
      'amazon-cloudwatch/cloudwatch-agent', 'external-dns/external-dns', 'external-secrets/external-secrets', 'kube-system/aws-load-balancer-controller',
      'kube-system/ebs-csi-controller-sa', 'kube-system/karpenter', 'velero/velero',
    ]);
  });

  test.each(associations.map((a) => [`${a.Namespace}/${a.ServiceAccount}`, a]))('%s: cluster ARN, namespace and service account required', (_, association: any) => {
    const roleId = association.RoleArn['Fn::GetAtt'][0];
    const statements: any[] = roles[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(statements.map((s) => s.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    for (const statement of statements) {
      expect(statement.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
      expect(statement.Condition).toEqual({
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': { 'Fn::GetAtt': [cluster, 'Arn'] },
          'aws:RequestTag/kubernetes-namespace': association.Namespace,
          'aws:RequestTag/kubernetes-service-account': association.ServiceAccount,
        },
      });
    }
    // Session tags stay on: without them the conditions could never hold.
    expect(association.DisableSessionTags).toBeUndefined();
  });
});
