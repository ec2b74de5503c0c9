import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeShop } from '../../examples/shop/synthesize';
import { ReportRow, ResilienceReport, RowStatus } from '../../src';
import { KubeObject, SourcedObject, StackInput, joinedJson, readCloudAssembly, readManifests } from '../../src/report/private/inputs';

/** The shop example synthesized once per test file into a temporary directory (asset staging off: the kubectl layer is 37 MB). */
export function synthesizeExample(): { outdir: string; stacks: StackInput[]; manifests: SourcedObject[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-report-'));
  const { cloudformationDir, kubernetesDir } = synthesizeShop(outdir, { 'aws:cdk:disable-asset-staging': true });
  return { outdir, stacks: readCloudAssembly(cloudformationDir), manifests: readManifests([kubernetesDir]) };
}

/** A deep copy of the synthesized output, changed by `mutate`, and its report. */
export function reportOf(
  input: { stacks: StackInput[]; manifests: SourcedObject[] },
  mutate: (copy: { stacks: StackInput[]; manifests: SourcedObject[] }) => void = () => {},
): ResilienceReport {
  const copy = JSON.parse(JSON.stringify(input));
  mutate(copy);
  return ResilienceReport._fromInputs(copy.stacks, copy.manifests, []);
}

/** The Kubernetes object of a kind and name in the copied manifests. */
export function object(manifests: SourcedObject[], kind: string, name: string): any {
  const found = manifests.find((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found.object as KubeObject;
}

/** The one row of an id and subject. */
export function row(report: ResilienceReport, id: string, subject: string): ReportRow {
  const found = report.rows.filter((r) => r.id === id && r.subject === subject);
  if (found.length !== 1) throw new Error(`expected one ${id} row for ${subject}, found ${found.length}: ${report.rows.map((r) => `${r.id} ${r.subject}`).join('; ')}`);
  return found[0];
}

/** The rows that fail, as "id subject" lines. */
export function failing(report: ResilienceReport): string[] {
  return report.rows.filter((r) => r.status === RowStatus.FAIL).map((r) => `${r.id} ${r.subject}`);
}

/** The Helm release values of a chart in a stack copy (parsed, changed, and written back by `change`). */
export function changeHelmValues(stack: StackInput, chart: string, change: (values: any) => void): void {
  const resource: any = Object.values(stack.template.Resources).find((r: any) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === chart);
  if (!resource) throw new Error(`no ${chart} chart in ${stack.name}`);
  const values = joinedJson(resource.Properties.Values, chart) ?? {};
  change(values);
  resource.Properties.Values = JSON.stringify(values);
}
