import { SourcedObject, StackInput } from './inputs';
import { ClusterStack, helmRelease } from './platform';
import { Workload, namespaceOf, workloads } from './workloads';

/** What every row reads: the platform's clusters, the Kubernetes objects and the workloads among them. */
export interface ReportContext {
  /** Every stack of the input, with a cluster or without (a RecoveryRegion's). */
  readonly stacks: StackInput[];
  readonly clusters: ClusterStack[];
  readonly objects: SourcedObject[];
  readonly workloads: Workload[];
}

export function reportContext(
  clusters: ClusterStack[], manifests: SourcedObject[], stacks: StackInput[] = clusters.map((c) => c.stack),
): ReportContext {
  const objects = [...manifests, ...clusters.flatMap((cluster) => cluster.objects)];
  return { stacks, clusters, objects, workloads: workloads(objects) };
}

/**
 * The labels a namespace gets: from its Namespace object, or from the
 * `managedNamespaceMetadata` of the Argo CD Application (or ApplicationSet
 * directory generator) that creates it. An ApplicationSet whose git
 * directories generator yields `<dir>/*` creates the namespace of each
 * directory's base name, for manifests read from under that directory.
 */
export function namespaceLabels(context: ReportContext, workload: Workload): { [key: string]: string } | undefined {
  const namespace = workload.namespace;
  const found = context.objects.map((o) => o.object);
  const object = found.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
  if (object) return { ...(object.metadata.labels ?? {}) };
  const application = found.find((o) => o.kind === 'Application' && o.spec?.destination?.namespace === namespace &&
    o.spec?.syncPolicy?.managedNamespaceMetadata);
  if (application) return { ...(application.spec.syncPolicy.managedNamespaceMetadata.labels ?? {}) };
  const source = workload.deployment.source.split('\\').join('/');
  const set = found.find((o) => o.kind === 'ApplicationSet' && o.spec?.template?.spec?.destination?.namespace === '{{.path.basename}}' &&
    (o.spec?.generators ?? []).some((g: any) => (g.git?.directories ?? []).some((d: any) =>
      typeof d.path === 'string' && d.path.endsWith('/*') && source.includes(`${d.path.slice(0, -1)}${namespace}/`))));
  return set ? { ...(set.spec.template.spec.syncPolicy?.managedNamespaceMetadata?.labels ?? {}) } : undefined;
}

/** Every cluster that installs the chart, and those that do not. */
export function chartCoverage(context: ReportContext, chart: string): { with: ClusterStack[]; without: ClusterStack[] } {
  return {
    with: context.clusters.filter((c) => helmRelease(c, chart) !== undefined),
    without: context.clusters.filter((c) => helmRelease(c, chart) === undefined),
  };
}

export { namespaceOf };
