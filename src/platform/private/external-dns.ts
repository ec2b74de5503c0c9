import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { acknowledgeNag, wildcardResourceFindings } from './nag';
import { associatePodIdentity, podIdentityRole } from './pod-identity';
import { EXTERNAL_DNS_CHART_REPOSITORY, EXTERNAL_DNS_CHART_VERSION } from '../../versions';
import { DnsFailoverOptions } from '../disaster-recovery-options';

export const EXTERNAL_DNS_NAMESPACE = 'external-dns';
const NAMESPACE = EXTERNAL_DNS_NAMESPACE;
const SERVICE_ACCOUNT = 'external-dns';

/** Inputs of ExternalDNS. */
export interface ExternalDnsProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly region: string;
  readonly options: DnsFailoverOptions;
  readonly dependsOn: IDependable[];
}

/**
 * ExternalDNS, limited to one hosted zone and one domain, publishing for each
 * Ingress only the names its `external-dns.alpha.kubernetes.io/hostname`
 * annotation asks for: a service's regional name ("<region>.<host>"), which
 * the failover record of its public name points at. The hosts of the
 * Ingress's rules and TLS section are ignored: the public names belong to
 * the CloudFormation failover records, which a plain record of the same name
 * would collide with. Each cluster owns its records through a TXT owner ID of
 * cluster and region, and publishes only names of its own region.
 */
export class ExternalDns extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const { hostedZoneId, zoneName } = props.options;
    const podIdentity = { cluster: props.cluster, namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT };
    this.role = podIdentityRole(this, 'Role', podIdentity);
    const zoneArn = `arn:${Aws.PARTITION}:route53:::hostedzone/${hostedZoneId}`;
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      resources: [zoneArn],
    }));
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['route53:ListHostedZones'], resources: ['*'] }));
    acknowledgeNag(this.role, wildcardResourceFindings(['*'], 'route53:ListHostedZones supports no resource-level permission; ExternalDNS may change one zone only.'));
    const association = associatePodIdentity(this, 'PodIdentity', podIdentity, this.role);

    const chart = props.cluster.addHelmChart('ExternalDns', {
      chart: 'external-dns',
      repository: EXTERNAL_DNS_CHART_REPOSITORY,
      version: EXTERNAL_DNS_CHART_VERSION,
      namespace: NAMESPACE,
      release: 'external-dns',
      wait: true,
      values: {
        provider: { name: 'aws' },
        // One replica: ExternalDNS has no leader election. A restart only delays record changes; Route 53 keeps serving.
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        sources: ['ingress'],
        domainFilters: [zoneName],
        // Deletes only records this cluster owns (TXT registry): its own regional names, never the failover records.
        policy: 'sync',
        registry: 'txt',
        txtOwnerId: `${props.clusterName}-${props.region}`,
        // https://github.com/kubernetes-sigs/external-dns/blob/master/docs/flags.md (--ignore-ingress-rules-spec,
        // --ignore-ingress-tls-spec): only the hostname annotation names a record.
        extraArgs: [`--zone-id-filter=${hostedZoneId}`, '--aws-zone-type=public', '--ignore-ingress-rules-spec', '--ignore-ingress-tls-spec'],
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }],
      },
    });
    chart.node.addDependency(association, ...props.dependsOn);
  }
}
