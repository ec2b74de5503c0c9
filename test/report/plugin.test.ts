import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { synthesizeExample } from './example-output';
import { PlatformProfile, ResilienceReportPlugin, ResilientEksPlatform, ResilientEksPlatformProps } from '../../src';

describe('ResilienceReportPlugin', () => {
  const { outdir } = synthesizeExample();
  const synth = (props: (stack: Stack) => ResilientEksPlatformProps, manifests: string[]) => {
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true, '@aws-cdk/core:validationReportJson': false } });
    Validations.of(app).addPlugins(new ResilienceReportPlugin({ manifestPaths: manifests }));
    const stack = new Stack(app, 'Platform', { env: { region: 'eu-west-1' } });
    new ResilientEksPlatform(stack, 'Platform', props(stack));
    return () => app.synth();
  };
  const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

  test('lets cdk synth pass when every row holds', () => {
    expect(synth(() => ({ clusterName: 'shop', availabilityZones: zones }), [path.join(outdir, 'kubernetes')])).not.toThrow();
  });

  test('shows an accepted risk as accepted: the cost profile\'s single NAT gateway with acceptSingleNatGateway', () => {
    expect(synth(() => ({ clusterName: 'shop', availabilityZones: zones, profile: PlatformProfile.COST_OPTIMIZED, acceptSingleNatGateway: true }), [])).not.toThrow();
  });

  test('fails cdk synth with the failing row when a claim is false: a VPC of the user\'s with one NAT gateway for three zones', () => {
    const attempt = synth((stack) => ({
      clusterName: 'shop', availabilityZones: zones, vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1, availabilityZones: zones }),
    }), []);
    expect(attempt).toThrow(/Losing a zone stops no other zone's egress .*cross-zone routes: eu-west-1b -> NAT in eu-west-1a/);
  });

  test('fails cdk synth with the input-coverage row, not a crash, when a manifest path is an unrendered kustomization', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- deployment.yaml\n');
    expect(synth(() => ({ clusterName: 'shop', availabilityZones: zones }), [dir])).toThrow(/Every manifest input is judged.*a kustomization is not rendered/);
  });
});
