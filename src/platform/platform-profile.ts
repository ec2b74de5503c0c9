/**
 * What the platform optimises for. Neither profile goes below two zones or two
 * replicas of anything critical; they differ in what they pay to shorten an
 * outage.
 */
export enum PlatformProfile {
  /**
   * One NAT gateway per zone (losing a zone leaves the others' egress
   * intact), interface VPC endpoints for the AWS APIs the platform calls (ECR,
   * STS, EKS Auth, EKS, EC2, SSM, SQS, ELB, CloudWatch Logs: private image
   * pulls, Pod Identity credentials and node launches stay inside the VPC),
   * and three on-demand system nodes, one per zone.
   */
  HIGH_AVAILABILITY = 'high-availability',
  /**
   * A single NAT gateway (private subnets of every zone lose internet egress
   * when its zone fails: accept it with `acceptSingleNatGateway`), no
   * interface endpoints (only the free S3 gateway endpoint), and two spot
   * system nodes of several Graviton types. Trades: a zone loss can stop
   * egress and image pulls until the NAT zone recovers, and a spot reclaim
   * briefly leaves Karpenter and CoreDNS on one replica.
   */
  COST_OPTIMIZED = 'cost-optimized',
}
