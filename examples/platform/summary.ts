import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

/** Figures of a synthesized stack that matter against CloudFormation's limits. */
export interface StackFigures {
  readonly stackName: string;
  readonly resources: number;
  readonly templateBytes: number;
  /** Custom resources served by a Lambda function (each one runs code at deploy time). */
  readonly lambdaCustomResources: number;
  readonly resourceTypes: { [type: string]: number };
}

/** CloudFormation's limits per stack. */
export const CLOUDFORMATION_MAX_RESOURCES = 500;
export const CLOUDFORMATION_MAX_TEMPLATE_BYTES = 1_000_000;

/** Reads the synthesized template of each stack of an app. */
export function stackFigures(app: App, outdir: string): StackFigures[] {
  return app.node.children.filter((child): child is Stack => Stack.isStack(child)).map((stack) => {
    const file = path.join(outdir, stack.templateFile);
    const text = fs.readFileSync(file, 'utf8');
    const resources: Array<{ Type: string }> = Object.values(JSON.parse(text).Resources ?? {});
    const resourceTypes: { [type: string]: number } = {};
    for (const resource of resources) resourceTypes[resource.Type] = (resourceTypes[resource.Type] ?? 0) + 1;
    return {
      stackName: stack.stackName,
      resources: resources.length,
      templateBytes: Buffer.byteLength(text),
      lambdaCustomResources: resources.filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').length,
      resourceTypes,
    };
  });
}

/** One line per stack, with the share of each CloudFormation limit used. */
export function figuresTable(figures: StackFigures[]): string {
  const percent = (value: number, limit: number) => `${Math.round((100 * value) / limit)}%`;
  return figures.map((f) => `${f.stackName}: ${f.resources} resources (${percent(f.resources, CLOUDFORMATION_MAX_RESOURCES)} of 500), ` +
    `${f.templateBytes} template bytes (${percent(f.templateBytes, CLOUDFORMATION_MAX_TEMPLATE_BYTES)} of 1 MB), ` +
    `${f.lambdaCustomResources} Lambda-backed custom resources`).join('\n');
}
