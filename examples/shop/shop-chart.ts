import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { HaMicroservice, HaMicroserviceMeshOptions, LoadBalancerScheme, MeshWaypoint, ServiceNamespace } from '../../src';
import { SHOP_PRIMARY_REGION, SHOP_PUBLIC_NAME } from '../platform/platform-stack';

/** Properties of the shop's chart. */
export interface ShopChartProps extends ChartProps {
  /**
   * The region the manifests run in: its zones, its image replicas, its certificate and its side of the DNS failover.
   * @default SHOP_PRIMARY_REGION
   */
  readonly region?: string;
}

/** The ACM certificate of the shop's public name in each region. */
const SHOP_CERTIFICATES: Record<string, string> = {
  'eu-west-1': '0f4e2a7c-3b1d-4c55-9d2e-6a8b7c9d0e1f',
  'eu-central-1': '7d2c9b1e-5a4f-4e3b-8c6d-1f0a2b3c4d5e',
};

/**
 * A small shop: five services, one of them public. Everything a platform
 * engineer would write for their own services, and nothing more.
 */
export class ShopChart extends Chart {
  public readonly services: HaMicroservice[];

  constructor(scope: Construct, id: string, props: ShopChartProps = {}) {
    super(scope, id, props);
    const region = props.region ?? SHOP_PRIMARY_REGION;
    // Each region pulls the images from its own registry: ECR replicates them to the recovery region.
    const registry = `111122223333.dkr.ecr.${region}.amazonaws.com/shop`;
    // The cluster's zones: every service is pinned to them and spread over all three.
    const zones = ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
    // The chart's namespace, labelled so the frontend's pods turn Ready only once the ALB finds their targets healthy.
    new ServiceNamespace(this, 'Namespace');
    // Every shop service is in the Istio ambient mesh (the platform's serviceMesh): mutual TLS between them, and one
    // waypoint for the namespace applying each service's timeout, retries and outlier detection.
    new MeshWaypoint(this, 'Waypoint');
    const mesh: HaMicroserviceMeshOptions = { requestTimeout: Duration.seconds(10) };

    const frontend = new HaMicroservice(this, 'Frontend', {
      name: 'frontend',
      image: `${registry}/frontend:1.4.2`,
      zones,
      containerPort: 8080,
      cpu: Cpu.millis(250),
      memory: Size.mebibytes(256),
      partOf: 'shop',
      mesh,
      healthCheckPath: '/healthz',
      expose: {
        scheme: LoadBalancerScheme.INTERNET_FACING,
        host: SHOP_PUBLIC_NAME,
        // ACM certificates are regional: each region's ALB has its own for the same name.
        certificateArn: `arn:aws:acm:${region}:111122223333:certificate/${SHOP_CERTIFICATES[region]}`,
        groupName: 'shop',
        sourceCidrs: ['10.0.0.0/16'],
        // Route 53 fails www.shop.example.com over between the regions on this service's own health.
        dnsFailover: { region },
      },
    });
    const catalog = new HaMicroservice(this, 'Catalog', {
      name: 'catalog',
      image: `${registry}/catalog:2.0.1`,
      zones,
      containerPort: 8080,
      cpu: Cpu.millis(200),
      memory: Size.mebibytes(384),
      partOf: 'shop',
      mesh,
      envFromConfigMaps: ['catalog-settings'],
    });
    const cart = new HaMicroservice(this, 'Cart', {
      name: 'cart',
      image: `${registry}/cart:3.2.0`,
      zones,
      containerPort: 8080,
      cpu: Cpu.millis(200),
      memory: Size.mebibytes(256),
      partOf: 'shop',
      mesh,
      // The cart state lives in DynamoDB: AWS APIs over HTTPS.
      egress: [{ cidr: '0.0.0.0/0', port: 443 }],
    });
    const checkout = new HaMicroservice(this, 'Checkout', {
      name: 'checkout',
      image: `${registry}/checkout:1.9.0`,
      zones,
      containerPort: 8080,
      cpu: Cpu.millis(300),
      memory: Size.mebibytes(512),
      partOf: 'shop',
      mesh,
      // The busiest service: a higher floor loses a smaller share per zone, which allows a higher target.
      autoscaling: { minReplicas: 6, maxReplicas: 24 },
    });
    const payments = new HaMicroservice(this, 'Payments', {
      name: 'payments',
      image: `${registry}/payments:5.0.3`,
      zones,
      containerPort: 8443,
      cpu: Cpu.millis(250),
      memory: Size.mebibytes(512),
      partOf: 'shop',
      envFromSecrets: ['payments-provider'],
      // A payment must never be cut in half: give in-flight requests a full minute.
      terminationGracePeriod: Duration.seconds(75),
      egress: [{ cidr: '0.0.0.0/0', port: 443 }],
      // A charge is not idempotent: never retried by the mesh, and given time to answer.
      mesh: { requestTimeout: Duration.seconds(30), retries: { attempts: 0 } },
    });

    frontend.connectTo(catalog);
    frontend.connectTo(cart);
    frontend.connectTo(checkout);
    checkout.connectTo(cart);
    checkout.connectTo(payments);
    this.services = [frontend, catalog, cart, checkout, payments];
  }
}
