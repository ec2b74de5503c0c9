import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ResilientEksPlatform, ResilientEksPlatformProps } from '../../src';
import { joinedJson } from '../../src/report/private/inputs';

/** A platform synthesized in its own stack, with its template. */
export interface SynthesizedPlatform {
  readonly stack: Stack;
  readonly platform: ResilientEksPlatform;
  readonly template: Template;
}

/**
 * Synthesizes a ResilientEksPlatform in a region-only stack (no account, so
 * no lookup). Asset staging is off: the kubectl layer is a 37 MB zip that
 * tests have no reason to copy on every synth.
 */
export function synthPlatform(props: ResilientEksPlatformProps = {}, stackProps: StackProps = { env: { region: 'eu-west-1' } },
  context: Record<string, unknown> = {}): SynthesizedPlatform {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true, ...context } });
  const stack = new Stack(app, 'PlatformStack', stackProps);
  const platform = new ResilientEksPlatform(stack, 'Platform', { clusterName: 'shop', ...props });
  return { stack, platform, template: Template.fromStack(stack) };
}

/** The cdk-nag AwsSolutions findings left unacknowledged, as "rule at path" lines. */
export function unacknowledgedNagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));
}

/** The only resource of a type matching the properties. */
export function onlyResource(template: Template, type: string, properties: Record<string, unknown> = {}): any {
  const found = Object.values(template.findResources(type, { Properties: Match.objectLike(properties) }));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** A Helm chart custom resource by chart name, with its values parsed (deploy-time values replaced by DEPLOY_TIME_VALUE). */
export function helmChart(template: Template, chart: string): { properties: any; values: any } {
  const resource = onlyResource(template, 'Custom::AWSCDK-EKS-HelmChart', { Chart: chart });
  return { properties: resource.Properties, values: parseJoined(resource.Properties.Values) };
}

/** Parses a JSON document CloudFormation holds (a string or an Fn::Join), the way the resilience report reads it. */
export function parseJoined(value: any): any {
  return joinedJson(value, 'template property');
}
