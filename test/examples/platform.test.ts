import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SHOP_RECOVERY_REGION, ShopPlatformStack, ShopRecoveryRegionStack } from '../../examples/platform/platform-stack';
import { PlatformProfile } from '../../src';
import { unacknowledgedNagFindings } from '../helpers/platform';

describe('the example platform', () => {
  test.each([PlatformProfile.HIGH_AVAILABILITY, PlatformProfile.COST_OPTIMIZED])('%s: synthesizes offline, within limits, cdk-nag clean', (profile) => {
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new ShopPlatformStack(app, 'ShopPlatform', { profile });
    const template = Template.fromStack(stack).toJSON();
    expect(app.synth().manifest.missing ?? []).toEqual([]);
    expect(Object.keys(template.Resources).length).toBeLessThan(500);
    expect(JSON.stringify(template).length).toBeLessThan(1_000_000);
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

test('the example\'s recovery region and standby: the same code, cdk-nag clean, within limits', () => {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
  const recovery = new ShopRecoveryRegionStack(app, 'ShopRecoveryRegion');
  const standby = new ShopPlatformStack(app, 'ShopPlatformStandby', { region: SHOP_RECOVERY_REGION });
  expect(app.synth().manifest.missing ?? []).toEqual([]);
  expect(Object.keys(Template.fromStack(standby).toJSON().Resources).length).toBeLessThan(500);
  expect(unacknowledgedNagFindings(recovery)).toEqual([]);
  expect(unacknowledgedNagFindings(standby)).toEqual([]);
});

