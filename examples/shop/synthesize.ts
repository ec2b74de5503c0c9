import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, YamlOutputType } from 'cdk8s';
import { ShopChart } from './shop-chart';
import { ResilientEksPlatform } from '../../src';
import { SHOP_RECOVERY_REGION, ShopPlatformStack, ShopRecoveryRegionStack } from '../platform/platform-stack';

/** What synthesizing the shop wrote, and the constructs it came from. */
export interface SynthesizedShop {
  readonly shop: ShopChart;
  readonly platform: ResilientEksPlatform;
  readonly platformApp: cdk.App;
  /** The shop's manifests for the primary region. */
  readonly kubernetesDir: string;
  /** The same services for the standby in the recovery region: its zones, registry and side of the DNS failover. */
  readonly standbyKubernetesDir: string;
  readonly cloudformationDir: string;
}

/**
 * Synthesizes the shop's services into Kubernetes YAML for each region and
 * the platform they run on (primary, recovery region, standby) into a cloud
 * assembly, under `outdir`, which is emptied first.
 */
export function synthesizeShop(outdir: string, context: Record<string, unknown> = {}): SynthesizedShop {
  fs.rmSync(outdir, { recursive: true, force: true });
  const kubernetesDir = path.join(outdir, 'kubernetes');
  const app = new App({ outdir: kubernetesDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const shop = new ShopChart(app, 'shop', { namespace: 'shop' });
  app.synth();
  const standbyKubernetesDir = path.join(outdir, 'kubernetes-standby');
  const standbyApp = new App({ outdir: standbyKubernetesDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new ShopChart(standbyApp, 'shop', { namespace: 'shop', region: SHOP_RECOVERY_REGION });
  standbyApp.synth();

  const cloudformationDir = path.join(outdir, 'cloudformation');
  const platformApp = new cdk.App({ outdir: cloudformationDir, context });
  const primary = new ShopPlatformStack(platformApp, 'ShopPlatform');
  const recoveryRegion = new ShopRecoveryRegionStack(platformApp, 'ShopRecoveryRegion');
  const standby = new ShopPlatformStack(platformApp, 'ShopPlatformStandby', { region: SHOP_RECOVERY_REGION });
  // Deployed in this order: the copies' destination, then the standby (it creates the Region switch plan's role), then
  // the primary (its access entry names that role).
  standby.addStackDependency(recoveryRegion);
  primary.addStackDependency(standby);
  const platform = primary.platform;
  platformApp.synth();
  return { shop, platform, platformApp, kubernetesDir, standbyKubernetesDir, cloudformationDir };
}
