import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformProfile, ResilientEksPlatform } from '../../src';

/** Properties of the example platform stack. */
export interface ShopPlatformStackProps extends StackProps {
  readonly profile?: PlatformProfile;
}

/**
 * The platform the shop example runs on: three zones in eu-west-1, an ECR
 * repository per shop service, one admin role. The region alone is set, so
 * synth needs neither an AWS account nor a context lookup.
 */
export class ShopPlatformStack extends Stack {
  public readonly platform: ResilientEksPlatform;

  constructor(scope: Construct, id: string, props: ShopPlatformStackProps = {}) {
    super(scope, id, { env: { region: 'eu-west-1' }, ...props });
    const costOptimized = props.profile === PlatformProfile.COST_OPTIMIZED;
    this.platform = new ResilientEksPlatform(this, 'Platform', {
      clusterName: 'shop',
      profile: props.profile,
      acceptSingleNatGateway: costOptimized ? true : undefined,
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      services: ['frontend', 'catalog', 'cart', 'checkout', 'payments'],
      adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'],
      // ArgoCD pulls everything else from Git; the credentials come from Secrets Manager, never from here.
      gitOps: {
        repoUrl: 'https://github.com/example/shop-gitops.git',
        revision: 'main',
        path: 'gitops/apps',
        repositoryCredentialsSecret: 'shop/argocd/repository',
      },
    });
  }
}
