import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ShopPlatformStack } from '../../examples/platform/platform-stack';
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
