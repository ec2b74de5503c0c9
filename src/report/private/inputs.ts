import * as fs from 'fs';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';

/** A Kubernetes object as synthesized (YAML or a cdk8s chart's JSON). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    /** The object's name; for an object the API server names (metadata.generateName), that prefix. */
    readonly name: string;
    readonly generateName?: string;
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

/** A manifest file or directory the report read but did not judge, and why. */
export interface SkippedInput {
  readonly path: string;
  /** Why it was not judged, e.g. "a kustomization is not rendered". */
  readonly reason: string;
  /**
   * How to have it judged. Set when it may hold objects the clusters run (a
   * kustomization, a Helm chart), which then appear in no row: the report
   * cannot claim to cover it. Unset for what holds no Kubernetes object.
   */
  readonly fix?: string;
}

/** The Kubernetes objects read from manifest paths, and what was skipped. */
export interface ManifestInput {
  readonly objects: SourcedObject[];
  readonly skipped: SkippedInput[];
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
      if (isKubeObject(object)) found.push({ object: named(object), source: `${stack.name}/${logicalId}`, stack: stack.name });
    }
  }
  return found;
}

function isKubeObject(value: any): value is KubeObject {
  return value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.apiVersion === 'string' &&
    value.metadata && (typeof value.metadata.name === 'string' || typeof value.metadata.generateName === 'string');
}

/** The object with a name to show: its generateName prefix when the API server names it. */
function named(object: KubeObject): KubeObject {
  if (typeof object.metadata.name === 'string') return object;
  return { ...object, metadata: { ...object.metadata, name: object.metadata.generateName! } };
}

/**
 * The stacks of a cloud assembly directory (its manifest.json), including
 * those of nested assemblies (CDK Stages).
 */
export function readCloudAssembly(directory: string): StackInput[] {
  const manifestPath = path.join(directory, 'manifest.json');
  const manifest = readJson(manifestPath, CLOUD_ASSEMBLY);
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

const CLOUD_ASSEMBLY = 'a cloud assembly (the cdk.out directory of `cdk synth`, which holds manifest.json)';

/** Whether a directory holds a cloud assembly: a manifest.json listing artifacts (what `cdk synth` writes). */
export function isCloudAssembly(directory: string): boolean {
  let manifest: any;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  return isRecord(manifest) && isRecord(manifest.artifacts) && manifest.kind === undefined;
}

/** Reads one stack from its template file (what a CDK validation plugin is given). */
export function readTemplate(templatePath: string, name: string, region?: string): StackInput {
  return { name, templatePath, region, template: readJson(templatePath, `the CloudFormation template of stack ${name}`) };
}

/**
 * The Kubernetes objects of manifest files (YAML or JSON, one or many
 * documents) and of directories of them, read recursively in name order.
 * What a file holds that is not a Kubernetes object is an error for a file
 * given by path; in a directory it is skipped. Kustomizations and Helm charts
 * are skipped with a fix, since only their tools render what they hold.
 */
export function readManifestFiles(paths: string[]): ManifestInput {
  const input: ManifestInput = { objects: [], skipped: [] };
  const visited = new Set<string>();
  for (const entry of paths) readEntry(entry, true, input, visited);
  return input;
}

/**
 * The Kubernetes objects of manifest files and directories, as
 * {@link readManifestFiles} reads them; a kustomization or Helm chart among
 * them is an error, since a caller of this has no way to report it unjudged.
 */
export function readManifests(paths: string[]): SourcedObject[] {
  const { objects, skipped } = readManifestFiles(paths);
  const unjudged = skipped.find((s) => s.fix);
  if (unjudged) throw new ReportInputError(`${unjudged.path}: ${unjudged.reason}; ${unjudged.fix}`);
  return objects;
}

/** The files that make a directory a kustomization or a Helm chart, as kustomize and Argo CD detect them. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const HELM_CHART_FILE = 'Chart.yaml';
const MANIFEST_FILE = /\.(ya?ml|json)$/;
const MANIFEST = 'a Kubernetes manifest file or a directory of them';

const kustomization = (where: string, directory = where): SkippedInput => ({
  path: where, reason: 'a kustomization is not rendered', fix: `run \`kustomize build ${directory}\` and pass its output`,
});
const helm = (where: string, what: string, chart?: string): SkippedInput => ({
  path: where, reason: `${what} is not rendered`, fix: `run \`helm template ${chart ?? '<its chart>'}\` and pass its output`,
});
const isKustomizeConfig = (document: any) => typeof document?.apiVersion === 'string' && document.apiVersion.startsWith('kustomize.config.k8s.io/');

function readEntry(entry: string, explicit: boolean, input: ManifestInput, visited: Set<string>): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch (error) {
    throw new ReportInputError(`${entry}: ${unreadable(entry, error)} (expected ${MANIFEST})`);
  }
  if (!stat.isDirectory()) {
    if (explicit || MANIFEST_FILE.test(entry)) readFile(entry, explicit, input);
    return;
  }
  // A symbolic link back up the tree would otherwise be walked forever.
  const real = fs.realpathSync(entry);
  if (visited.has(real)) return;
  visited.add(real);
  let names: string[];
  try {
    names = fs.readdirSync(entry).sort();
  } catch (error) {
    throw new ReportInputError(`${entry}: ${unreadable(entry, error)} (expected ${MANIFEST})`);
  }
  if (names.some((name) => KUSTOMIZATION_FILES.includes(name))) {
    input.skipped.push(kustomization(entry));
  } else if (names.includes(HELM_CHART_FILE)) {
    input.skipped.push(helm(entry, 'a Helm chart', entry));
  } else if (isCloudAssembly(entry)) {
    input.skipped.push({ path: entry, reason: 'a cloud assembly (cdk.out), not Kubernetes manifests: give it as the cloud assembly to have its stacks judged' });
  } else {
    for (const name of names) readEntry(path.join(entry, name), false, input, visited);
  }
}

/** Why a path cannot be read, in words: a broken symbolic link says where it points. */
function unreadable(entry: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  let target: string | undefined;
  try {
    target = fs.lstatSync(entry).isSymbolicLink() ? fs.readlinkSync(entry) : undefined;
  } catch {
    target = undefined;
  }
  if (target !== undefined && code === 'ENOENT') return `cannot be read: a symbolic link to ${target}, which does not exist`;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read (${(error as Error).message})`;
}

function readFile(file: string, explicit: boolean, input: ManifestInput): void {
  const base = path.basename(file);
  const skip = (skipped: SkippedInput) => {
    input.skipped.push(skipped);
  };
  if (KUSTOMIZATION_FILES.includes(base)) return skip(kustomization(file, path.dirname(file)));
  if (base === HELM_CHART_FILE) return skip(helm(file, 'a Helm chart', path.dirname(file)));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReportInputError(`${file}: ${unreadable(file, error)} (expected Kubernetes YAML or JSON manifests)`);
  }
  if (isGoTemplate(text)) return skip(helm(file, 'a Helm (Go) template'));
  let documents: any[];
  try {
    documents = !file.endsWith('.json') ? Yaml.load(file) : text.trim() === '' ? [] : [JSON.parse(text)];
  } catch (error) {
    throw new ReportInputError(`${file}: expected Kubernetes YAML or JSON manifests, could not parse it (${(error as Error).message})`);
  }
  if (documents.some(isKustomizeConfig)) return skip(kustomization(file, path.dirname(file)));
  const strays: number[] = [];
  for (const [index, document] of documents.entries()) {
    if (document === null || document === undefined) continue;
    const items = document.kind === 'List' && Array.isArray(document.items) ? document.items : [document];
    for (const object of items) {
      if (isKubeObject(object)) {
        input.objects.push({ object: named(object), source: file });
      } else if (explicit) {
        throw new ReportInputError(`${file}: document ${index + 1} is not a Kubernetes object (expected apiVersion, kind and metadata.name or generateName)`);
      } else if (!strays.includes(index + 1)) {
        strays.push(index + 1);
      }
    }
  }
  if (explicit && documents.length === 0) skip({ path: file, reason: 'holds no Kubernetes object (no YAML document)' });
  if (strays.length > 0) {
    skip({ path: file, reason: `document(s) ${strays.join(', ')} are not Kubernetes objects (no apiVersion, kind and metadata.name or generateName)` });
  }
}

/**
 * Whether YAML text holds Go template actions (`{{ }}`) outside quoted
 * strings, comments and block scalars: a Helm template, which is YAML only
 * once rendered. Quoted actions (an ApplicationSet's '{{.path.basename}}')
 * and those inside block scalars (alerting rules in a ConfigMap) are data.
 */
function isGoTemplate(text: string): boolean {
  let blockIndent: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const indent = line.search(/\S/);
    if (indent < 0) continue;
    if (blockIndent !== undefined && indent > blockIndent) continue;
    blockIndent = undefined;
    if (/^[^#'"]*\{\{/.test(line)) return true;
    if (/(?::|^\s*-|^)\s*[|>][1-9+-]*\s*(?:#.*)?$/.test(line)) blockIndent = indent;
  }
  return false;
}

/** A JSON object read from a file (a cloud assembly manifest, a template). */
function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ReportInputError(`${file}: cannot be read (expected ${what})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`${file}: is not JSON (expected ${what}): ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new ReportInputError(`${file}: is JSON but not an object (expected ${what})`);
  return value;
}

function isRecord(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects cdk8s charts synthesize to, as the report reads them. */
export function chartObjects(charts: Chart[]): SourcedObject[] {
  return charts.flatMap((chart) => chart.toJson().map((object: any) => ({ object, source: `chart ${chart.node.path}` })));
}
