import * as fs from 'fs';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';

/** A Kubernetes object as synthesized (YAML or a cdk8s chart's JSON). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: { readonly [key: string]: string };
    readonly annotations?: { readonly [key: string]: string };
  };
  readonly [field: string]: any;
}

/** A Kubernetes object and where it was read: a manifest file, or "<stack>/<logical ID>" of a CloudFormation manifest resource. */
export interface SourcedObject {
  readonly object: KubeObject;
  readonly source: string;
  /** The stack that applies it, when it came from a template. */
  readonly stack?: string;
}

/** One synthesized CloudFormation stack. */
export interface StackInput {
  readonly name: string;
  readonly templatePath: string;
  readonly region?: string;
  readonly template: any;
}

/** Everything the report reads. */
export interface SynthesizedOutput {
  readonly stacks: StackInput[];
  readonly objects: SourcedObject[];
}

/** Input the report cannot read: the CLI exits 2 with this message. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** Stands for a CloudFormation intrinsic inside a joined string: its value is known only at deploy time. */
export const DEPLOY_TIME_VALUE = '<deploy-time value>';

/**
 * The string a CloudFormation value resolves to, with intrinsics (Ref,
 * Fn::GetAtt...) replaced by {@link DEPLOY_TIME_VALUE}. CDK writes JSON
 * documents with tokens in them as Fn::Join of literal parts and intrinsics.
 */
export function joinedString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray((value as any)['Fn::Join'])) {
    const [separator, parts] = (value as any)['Fn::Join'];
    return (parts as unknown[]).map((part) => joinedString(part) ?? DEPLOY_TIME_VALUE).join(separator);
  }
  return undefined;
}

/** A JSON document held in a CloudFormation property, parsed. */
export function joinedJson(value: unknown, where: string): any {
  const text = joinedString(value);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`${where}: expected a JSON document, found ${text.substring(0, 80)} (${(error as Error).message})`);
  }
}

const MANIFEST_RESOURCE = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The Kubernetes objects a template applies through the EKS kubectl provider. */
export function templateObjects(stack: StackInput): SourcedObject[] {
  const found: SourcedObject[] = [];
  for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
    if (resource.Type !== MANIFEST_RESOURCE) continue;
    const manifest = joinedJson(resource.Properties?.Manifest, `${stack.templatePath} resource ${logicalId} Manifest`);
    for (const object of Array.isArray(manifest) ? manifest : [manifest]) {
      if (isKubeObject(object)) found.push({ object, source: `${stack.name}/${logicalId}`, stack: stack.name });
    }
  }
  return found;
}

function isKubeObject(value: any): value is KubeObject {
  return value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.apiVersion === 'string' &&
    value.metadata && typeof value.metadata.name === 'string';
}

/**
 * The stacks of a cloud assembly directory (its manifest.json), including
 * those of nested assemblies (CDK Stages).
 */
export function readCloudAssembly(directory: string): StackInput[] {
  const manifestPath = path.join(directory, 'manifest.json');
  const manifest = readJson(manifestPath, 'a cloud assembly (the cdk.out directory of `cdk synth`, which holds manifest.json)');
  const stacks: StackInput[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const templatePath = path.join(directory, artifact.properties?.templateFile ?? `${name}.template.json`);
      const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
      stacks.push({
        name: artifact.displayName ?? name,
        templatePath,
        region: region && region !== 'unknown-region' ? region : undefined,
        template: readJson(templatePath, `the CloudFormation template of stack ${name}`),
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readCloudAssembly(path.join(directory, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

/** Reads one stack from its template file (what a CDK validation plugin is given). */
export function readTemplate(templatePath: string, name: string, region?: string): StackInput {
  return { name, templatePath, region, template: readJson(templatePath, `the CloudFormation template of stack ${name}`) };
}

/**
 * The Kubernetes objects of manifest files (YAML or JSON, one or many
 * documents) and of directories of them, read recursively in name order.
 */
export function readManifests(paths: string[]): SourcedObject[] {
  const found: SourcedObject[] = [];
  for (const file of paths.flatMap(manifestFiles)) {
    let documents: any[];
    try {
      documents = Yaml.load(file);
    } catch (error) {
      throw new ReportInputError(`${file}: expected Kubernetes YAML or JSON manifests, could not parse it (${(error as Error).message})`);
    }
    for (const [index, document] of documents.entries()) {
      if (document === null || document === undefined) continue;
      const items = document.kind === 'List' && Array.isArray(document.items) ? document.items : [document];
      for (const object of items) {
        if (!isKubeObject(object)) {
          throw new ReportInputError(`${file}: document ${index + 1} is not a Kubernetes object (expected apiVersion, kind and metadata.name)`);
        }
        found.push({ object, source: file });
      }
    }
  }
  return found;
}

function manifestFiles(entry: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    throw new ReportInputError(`${entry}: no such file or directory (expected a Kubernetes manifest file or a directory of them)`);
  }
  if (!stat.isDirectory()) return [entry];
  return fs.readdirSync(entry).sort().flatMap((name) => {
    const child = path.join(entry, name);
    if (fs.statSync(child).isDirectory()) return manifestFiles(child);
    return /\.(ya?ml|json)$/.test(name) ? [child] : [];
  });
}

function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ReportInputError(`${file}: cannot be read (expected ${what})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`${file}: is not JSON (expected ${what}): ${(error as Error).message}`);
  }
}

/** The objects cdk8s charts synthesize to, as the report reads them. */
export function chartObjects(charts: Chart[]): SourcedObject[] {
  return charts.flatMap((chart) => chart.toJson().map((object: any) => ({ object, source: `chart ${chart.node.path}` })));
}
