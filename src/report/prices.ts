/**
 * The prices the resilience report's cost rows use, in USD, pinned here and
 * nowhere else. Each one carries where it came from and how sure it is:
 * "confirmed" was read in an AWS or project source on the date given;
 * "estimate" could not be read offline and is the best-supported figure.
 * Check estimates with the AWS Price List API
 * (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json)
 * before relying on a cost row for a budget.
 */

/** A price and where it comes from. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly confidence: 'confirmed' | 'estimate';
}

/** The prices of one region. */
export interface RegionPrices {
  readonly eksClusterHour: Price;
  readonly natGatewayHour: Price;
  readonly publicIpv4Hour: Price;
  readonly interfaceEndpointAzHour: Price;
  readonly albHour: Price;
  readonly kmsKeyMonth: Price;
  readonly alarmMonth: Price;
  readonly logIngestionGb: Price;
  readonly crossZoneGbEachWay: Price;
  /** On-demand Linux, per instance-hour. */
  readonly ec2Hour: { readonly [instanceType: string]: Price };
}

/** Hours in a month, as AWS's pricing calculator counts them. */
export const HOURS_PER_MONTH = 730;

/** The share of the on-demand price spot saves for the c/m/r families Karpenter picks from: an estimate (AWS says "up to 90%"; Spot Instance Advisor typically shows 50-70% for these families in the EU). */
export const SPOT_DISCOUNT: Price = { usd: 0.6, unit: 'share of on-demand saved', source: 'estimate from AWS Spot Instance Advisor ranges (not readable offline), 2026-12-02', confidence: 'estimate' };

/** Control-plane log volume of a small cluster with all five log types on: an estimate, for the log-ingestion line. */
export const CONTROL_PLANE_LOG_GB_PER_MONTH = 30;

/** The instance type the services' requested capacity is priced at (2 vCPU, 8 GiB: the m shape Karpenter favours for mixed services). */
export const CAPACITY_REFERENCE = { instanceType: 'm7i.large', vcpu: 2, memoryGib: 8 } as const;

const confirmed = (usd: number, unit: string, source: string): Price => ({ usd, unit, source, confidence: 'confirmed' });
const estimate = (usd: number, unit: string, source: string): Price => ({ usd, unit, source, confidence: 'estimate' });

const EKS = confirmed(0.10, 'cluster-hour', 'AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing" (standard support, all commercial regions), read 2026-12-02');
const IPV4 = confirmed(0.005, 'public IPv4 address-hour', 'AWS Networking blog on public IPv4 charges (effective 2024-02-01, all regions), read 2026-12-02');
const KMS = confirmed(1, 'customer managed key-month', 'aws.amazon.com/kms/pricing, read 2026-12-02');
const ALARM = confirmed(0.10, 'standard alarm metric-month', 'aws.amazon.com/cloudwatch/pricing, read 2026-12-02 (Metrics Insights alarms bill per series analysed)');
const CROSS_ZONE = confirmed(0.01, 'GB each direction', 'EC2 on-demand pricing, data transfer within a region, read 2026-12-02');
const KARPENTER_PRICES = 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-07-20 for us-east-1)';
const EU_EC2 = 'estimate: eu list prices of the 6th generation scaled by the us-east-1 generation ratio (no regional price file readable offline), 2026-12-02';

/** Pinned prices per region. */
export const PRICES: { readonly [region: string]: RegionPrices } = {
  'us-east-1': {
    eksClusterHour: EKS,
    natGatewayHour: confirmed(0.045, 'NAT gateway-hour', 'aws.amazon.com/vpc/pricing, read 2026-12-02'),
    publicIpv4Hour: IPV4,
    interfaceEndpointAzHour: estimate(0.01, 'endpoint-AZ-hour', 'aws.amazon.com/privatelink/pricing (billing model confirmed; rate from memory), 2026-12-02'),
    albHour: estimate(0.0225, 'ALB-hour', 'elastic load balancing pricing (from memory), 2026-12-02'),
    kmsKeyMonth: KMS,
    alarmMonth: ALARM,
    logIngestionGb: estimate(0.50, 'GB ingested', 'aws.amazon.com/cloudwatch/pricing (secondary copies), 2026-12-02'),
    crossZoneGbEachWay: CROSS_ZONE,
    ec2Hour: {
      'm7g.large': confirmed(0.0816, 'instance-hour', KARPENTER_PRICES),
      'm6g.large': confirmed(0.077, 'instance-hour', KARPENTER_PRICES),
      'c7g.xlarge': confirmed(0.145, 'instance-hour', KARPENTER_PRICES),
      't4g.large': confirmed(0.0672, 'instance-hour', KARPENTER_PRICES),
      'm7i.large': confirmed(0.1008, 'instance-hour', KARPENTER_PRICES),
    },
  },
  'eu-west-1': {
    eksClusterHour: EKS,
    natGatewayHour: confirmed(0.048, 'NAT gateway-hour', 'AWS Price List AmazonEC2 eu-west-1 (publication 2026-09-25, EU-NatGateway-Hours), as quoted verbatim in a public fixture'),
    publicIpv4Hour: IPV4,
    interfaceEndpointAzHour: estimate(0.011, 'endpoint-AZ-hour', 'aws.amazon.com/privatelink/pricing (billing model confirmed; rate from memory), 2026-12-02'),
    albHour: estimate(0.0252, 'ALB-hour', 'third-party calculator listing Ireland, 2026-12-02'),
    kmsKeyMonth: KMS,
    alarmMonth: ALARM,
    logIngestionGb: estimate(0.57, 'GB ingested', 'aws.amazon.com/cloudwatch/pricing (from memory), 2026-12-02'),
    crossZoneGbEachWay: CROSS_ZONE,
    ec2Hour: {
      'm7g.large': estimate(0.0912, 'instance-hour', EU_EC2),
      'm6g.large': estimate(0.086, 'instance-hour', EU_EC2),
      'c7g.xlarge': estimate(0.1638, 'instance-hour', EU_EC2),
      't4g.large': estimate(0.0736, 'instance-hour', EU_EC2),
      'm7i.large': estimate(0.1124, 'instance-hour', EU_EC2),
    },
  },
  'eu-central-1': {
    eksClusterHour: EKS,
    natGatewayHour: estimate(0.052, 'NAT gateway-hour', 'long-standing list price, not readable offline, 2026-12-02'),
    publicIpv4Hour: IPV4,
    interfaceEndpointAzHour: estimate(0.012, 'endpoint-AZ-hour', 'aws.amazon.com/privatelink/pricing (billing model confirmed; rate from memory), 2026-12-02'),
    albHour: estimate(0.027, 'ALB-hour', 'elastic load balancing pricing (from memory), 2026-12-02'),
    kmsKeyMonth: KMS,
    alarmMonth: ALARM,
    logIngestionGb: estimate(0.63, 'GB ingested', 'aws.amazon.com/cloudwatch/pricing (from memory), 2026-12-02'),
    crossZoneGbEachWay: CROSS_ZONE,
    ec2Hour: {
      'm7g.large': estimate(0.0972, 'instance-hour', EU_EC2),
      'm6g.large': estimate(0.092, 'instance-hour', EU_EC2),
      'c7g.xlarge': estimate(0.166, 'instance-hour', EU_EC2),
      't4g.large': estimate(0.0768, 'instance-hour', EU_EC2),
      'm7i.large': estimate(0.121, 'instance-hour', EU_EC2),
    },
  },
};
