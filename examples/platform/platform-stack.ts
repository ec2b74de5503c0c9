import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DisasterRecoveryOptions, PlatformProfile, RecoveryRegion, RecoveryStrategy, ResilientEksPlatform, VaultLockMode } from '../../src';

/** Where the shop serves and where it recovers. */
export const SHOP_PRIMARY_REGION = 'eu-west-1';
export const SHOP_RECOVERY_REGION = 'eu-central-1';
/** The shop's public name, failed over between the regions by Route 53. */
export const SHOP_PUBLIC_NAME = 'www.shop.example.com';

/**
 * The shop's recovery targets, shared by the platform of both regions: at most
 * an hour of data lost, service back within an hour, a pilot light in Frankfurt,
 * backups only those allowed to lift the lock could delete early, and the
 * public names failed over by Route 53.
 */
export const SHOP_DISASTER_RECOVERY: DisasterRecoveryOptions = {
  rpo: Duration.hours(1),
  rto: Duration.hours(1),
  primaryRegion: SHOP_PRIMARY_REGION,
  secondaryRegion: SHOP_RECOVERY_REGION,
  strategy: RecoveryStrategy.PILOT_LIGHT,
  retention: Duration.days(35),
  vaultLock: VaultLockMode.GOVERNANCE,
  dnsFailover: {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'shop.example.com',
    // The frontend's readiness path, through its ALB in each region.
    records: [{
      name: SHOP_PUBLIC_NAME,
      healthCheckPath: '/healthz',
      // The Region switch plan's own health checks of the name, listed by the failover runbook's step 0 once the
      // standby is deployed: with them the plan decides where the name points whenever both regions answer.
      regionSwitchHealthCheckIds: {
        'eu-west-1': '3f1c2a9e-7b4d-4e8a-9c61-2d5e8f0a1b7c',
        'eu-central-1': '8a6e4c2f-1d3b-4f9a-b7e5-6c0d9e2f3a41',
      },
    }],
  },
  // Where the shop's services run (examples/shop): the Region switch plan scales them to the other region's capacity.
  servicesNamespace: 'shop',
};

/** The shop's on-call rotation, which every alarm pages. */
export const SHOP_ONCALL = 'oncall@shop.example.com';

/** Properties of the example platform stack. */
export interface ShopPlatformStackProps extends StackProps {
  readonly profile?: PlatformProfile;
  /**
   * The region: the primary, or the recovery region for the standby.
   * @default SHOP_PRIMARY_REGION
   */
  readonly region?: string;
}

/**
 * The platform the shop example runs on: three zones, an ECR repository per
 * shop service, one admin role, GitOps and disaster recovery. The same class
 * deploys the primary and, in the recovery region, the standby. The region
 * alone is set, so synth needs neither an AWS account nor a context lookup.
 */
export class ShopPlatformStack extends Stack {
  public readonly platform: ResilientEksPlatform;

  constructor(scope: Construct, id: string, props: ShopPlatformStackProps = {}) {
    const region = props.region ?? SHOP_PRIMARY_REGION;
    super(scope, id, { env: { region }, ...props });
    const costOptimized = props.profile === PlatformProfile.COST_OPTIMIZED;
    this.platform = new ResilientEksPlatform(this, 'Platform', {
      clusterName: 'shop',
      profile: props.profile,
      acceptSingleNatGateway: costOptimized ? true : undefined,
      availabilityZones: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
      services: ['frontend', 'catalog', 'cart', 'checkout', 'payments'],
      adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'],
      // ArgoCD pulls everything else from Git; the credentials come from Secrets Manager, never from here.
      gitOps: {
        repoUrl: 'https://github.com/example/shop-gitops.git',
        revision: 'main',
        path: `gitops/${region}`,
        repositoryCredentialsSecret: 'shop/argocd/repository',
      },
      disasterRecovery: SHOP_DISASTER_RECOVERY,
      // Every alarm of the platform pages the shop's on-call rotation (each address confirms its subscription once).
      alerting: { emailAddresses: [SHOP_ONCALL] },
      // Istio ambient with strict mutual TLS; the shop's services join it (examples/shop/shop-chart.ts).
      serviceMesh: {},
    });
  }
}

/** What the recovery region holds before any disaster: the locked, restore-tested copy vault, the Velero replica and the image replica settings. */
export class ShopRecoveryRegionStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { region: SHOP_RECOVERY_REGION }, ...props });
    new RecoveryRegion(this, 'RecoveryRegion', {
      clusterName: 'shop',
      primaryRegion: SHOP_PRIMARY_REGION,
      retention: SHOP_DISASTER_RECOVERY.retention,
      vaultLock: SHOP_DISASTER_RECOVERY.vaultLock,
      // A failed restore test of the copies pages the same rotation, from this region's own topic.
      alarmEmailAddresses: [SHOP_ONCALL],
    });
  }
}
