import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeShop } from '../../examples/shop/synthesize';
import { ReportRow, ResilienceReport, RowStatus, Runbook } from '../../src';
import { KubeObject, SourcedObject, StackInput, joinedJson, readCloudAssembly, readManifests } from '../../src/report/private/inputs';

/** The shop example synthesized once per test file into a temporary directory (asset staging off: the kubectl layer is 37 MB). */
export function synthesizeExample(): { outdir: string; stacks: StackInput[]; manifests: SourcedObject[]; runbooks: Runbook[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-report-'));
  const { cloudformationDir, kubernetesDir, platform } = synthesizeShop(outdir, { 'aws:cdk:disable-asset-staging': true });
  return { outdir, stacks: readCloudAssembly(cloudformationDir), manifests: readManifests([kubernetesDir]), runbooks: platform.runbooks() };
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

/** Changes a JSON document a resource of a stack copy holds (parsed with deploy-time values as placeholders, written back as a string). */
function changeJsonProperty(
  stack: StackInput, type: string, matches: (properties: any) => boolean, property: string, change: (document: any) => void,
): void {
  const resource: any = Object.values(stack.template.Resources).find((r: any) => r.Type === type && matches(r.Properties));
  if (!resource) throw new Error(`no matching ${type} in ${stack.name}`);
  const document = joinedJson(resource.Properties[property], property) ?? {};
  change(document);
  resource.Properties[property] = JSON.stringify(document);
}

/** Changes the Helm values of a chart in a stack copy. */
export function changeHelmValues(stack: StackInput, chart: string, change: (values: any) => void): void {
  changeJsonProperty(stack, 'Custom::AWSCDK-EKS-HelmChart', (p) => p.Chart === chart, 'Values', change);
}

/** Changes a Kubernetes object a stack copy applies through the kubectl provider. */
export function changeTemplateObject(stack: StackInput, kind: string, name: string, change: (object: any) => void): void {
  const isIt = (o: any) => o.kind === kind && o.metadata?.name === name;
  changeJsonProperty(stack, 'Custom::AWSCDK-EKS-KubernetesResource', (p) => (joinedJson(p.Manifest, 'Manifest') ?? []).some(isIt), 'Manifest',
    (objects: any[]) => objects.filter(isIt).forEach(change));
}
