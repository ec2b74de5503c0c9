import { SourcedObject, StackInput } from './inputs';
import { ClusterStack, referenced, resourcesOfType } from './platform';
import { Taint, listOf, stringsOf, toleratesTaint } from './pod-facts';
import { quantityMebibytes, quantityMillicores } from './quantities';
import { ZONE_TOPOLOGY_KEY } from '../../policy/spread';

/**
 * What a node may carry of one label: the values it may take (undefined:
 * any), those it never takes, and whether it may lack the label or carry it.
 */
interface LabelDomain {
  readonly values?: string[];
  readonly excluded: string[];
  readonly absent: boolean;
  readonly present: boolean;
}

const fixed = (value: string): LabelDomain => ({ values: [value], excluded: [], absent: false, present: true });
const ABSENT: LabelDomain = { excluded: [], absent: true, present: false };

/** The domain a node selector requirement allows (Gt and Lt are taken as met by some value: only existence is checked). */
function requirementDomain(requirement: any): LabelDomain {
  const values = stringsOf(requirement.values);
  switch (requirement.operator) {
    case 'In': return { values, excluded: [], absent: false, present: true };
    case 'NotIn': return { excluded: values, absent: true, present: true };
    case 'Exists':
    case 'Gt':
    case 'Lt': return { excluded: [], absent: false, present: true };
    case 'DoesNotExist': return ABSENT;
    default: return { excluded: [], absent: false, present: false };
  }
}

function intersect(a: LabelDomain, b: LabelDomain): LabelDomain {
  const values = a.values && b.values ? a.values.filter((v) => b.values!.includes(v)) : a.values ?? b.values;
  return { values, excluded: [...a.excluded, ...b.excluded], absent: a.absent && b.absent, present: a.present && b.present };
}

const satisfiable = (d: LabelDomain) => d.absent || (d.present && (d.values === undefined || d.values.some((v) => !d.excluded.includes(v))));

function describeDomain(d: LabelDomain): string {
  if (!d.present) return 'no such label';
  const values = d.values ? d.values.filter((v) => !d.excluded.includes(v)) : undefined;
  return values ? values.join(', ') || 'no value' : d.excluded.length > 0 ? `any value but ${d.excluded.join(', ')}` : 'any value';
}

/** A node taint: key, value and effect. */
const describeTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** Where a cluster gets nodes: a Karpenter NodePool or an EKS managed node group. */
export interface NodeSource {
  /** How the report names it: NodePool/<name> or Nodegroup/<logical ID>. */
  readonly name: string;
  readonly cluster: ClusterStack;
  /** The zones it can launch nodes in. */
  readonly zones: string[];
  /**
   * What its nodes carry of a label; undefined when the source does not
   * constrain the label, which is then assumed satisfiable (instance
   * families, sizes and the labels derived from them are not modelled).
   */
  readonly label: (key: string) => LabelDomain | undefined;
  readonly taints: Taint[];
  /** The NodePool object, for a NodePool. */
  readonly pool?: SourcedObject;
}

/** Karpenter's capacity types (karpenter.sh/capacity-type values). */
const CAPACITY_TYPES = ['on-demand', 'spot', 'reserved'];
const CAPACITY_TYPE_KEY = 'karpenter.sh/capacity-type';
const fixedSet = (values: string[]): LabelDomain => ({ values, excluded: [], absent: false, present: true });

/** The capacity types a NodePool's requirements allow; without a requirement Karpenter launches on-demand only. */
export function nodePoolCapacityTypes(requirements: any[]): string[] {
  const stated = requirements.filter((r) => r.key === CAPACITY_TYPE_KEY).map(requirementDomain);
  const domain = [...(stated.length > 0 ? stated : [fixed('on-demand')]), fixedSet(CAPACITY_TYPES)].reduce(intersect);
  return domain.present ? (domain.values ?? CAPACITY_TYPES).filter((t) => !domain.excluded.includes(t)) : [];
}

/** The zones of the template's subnets that carry every tag of a term ('*' matches any value). */
function taggedSubnetZones(stack: StackInput, tags: { [key: string]: string }): string[] {
  return resourcesOfType(stack, 'AWS::EC2::Subnet').filter(([, subnet]) => {
    const have: any[] = subnet.Properties?.Tags ?? [];
    return Object.entries(tags).every(([key, value]) => have.some((t) => t.Key === key && (value === '*' || t.Value === value)));
  }).map(([, subnet]) => subnet.Properties?.AvailabilityZone).filter((z): z is string => typeof z === 'string');
}

/**
 * The zones a NodePool launches in: its zone requirements over the zones of
 * the subnets its EC2NodeClass selects by tag in the template (the cluster's
 * subnets when they cannot be resolved, e.g. selected by ID or imported).
 */
function nodePoolZones(cluster: ClusterStack, pool: any, objects: SourcedObject[]): string[] {
  const classRef = pool.spec?.template?.spec?.nodeClassRef?.name;
  const nodeClass = objects.map((o) => o.object).find((o) => o.kind === 'EC2NodeClass' && o.metadata.name === classRef);
  const tagged = listOf(nodeClass?.spec?.subnetSelectorTerms).flatMap((term) => (term.tags ? taggedSubnetZones(cluster.stack, term.tags) : []));
  const universe = tagged.length > 0 ? [...new Set(tagged)].sort() : cluster.zones;
  const zone = listOf(pool.spec?.template?.spec?.requirements).filter((r) => r.key === ZONE_TOPOLOGY_KEY)
    .reduce((d: LabelDomain, r) => intersect(d, requirementDomain(r)), { excluded: [], absent: false, present: true });
  return universe.filter((z) => (zone.values === undefined || zone.values.includes(z)) && !zone.excluded.includes(z) && zone.present);
}

function nodePoolSource(cluster: ClusterStack, sourced: SourcedObject, objects: SourcedObject[]): NodeSource {
  const pool = sourced.object;
  const template = pool.spec?.template ?? {};
  const requirements = listOf(template.spec?.requirements);
  const labels: { [key: string]: string } = template.metadata?.labels ?? {};
  return {
    name: `NodePool/${pool.metadata.name}`,
    cluster,
    zones: nodePoolZones(cluster, pool, objects),
    pool: sourced,
    label: (key) => {
      const stated = key === CAPACITY_TYPE_KEY ? [fixedSet(nodePoolCapacityTypes(requirements))]
        : requirements.filter((r) => r.key === key).map(requirementDomain);
      if (typeof labels[key] === 'string') stated.push(fixed(labels[key]));
      if (key === 'karpenter.sh/nodepool') stated.push(fixed(pool.metadata.name));
      return stated.length === 0 ? undefined : stated.reduce(intersect);
    },
    taints: listOf(template.spec?.taints).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
  };
}

const EFFECTS: { [effect: string]: string } = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };

/** The architecture of a managed node group's nodes, from its AMI type (or, without one, a Graviton instance type). */
function nodegroupArch(properties: any): string | undefined {
  const ami: unknown = properties.AmiType;
  if (typeof ami === 'string') return /ARM_64/.test(ami) ? 'arm64' : 'amd64';
  const types: unknown[] = properties.InstanceTypes ?? [];
  if (types.length === 0 || !types.every((t) => typeof t === 'string')) return undefined;
  return types.every((t) => /^[a-z]+\d+g[a-z]*\./.test(t as string)) ? 'arm64' : 'amd64';
}

function nodegroupSource(cluster: ClusterStack, id: string, group: any): NodeSource {
  const properties = group.Properties ?? {};
  const subnetZones = (Array.isArray(properties.Subnets) ? properties.Subnets : [])
    .map((subnet: any) => referenced(cluster.stack, subnet)?.[1]?.Properties?.AvailabilityZone)
    .filter((z: unknown): z is string => typeof z === 'string');
  const labels: { [key: string]: string } = properties.Labels ?? {};
  const arch = nodegroupArch(properties);
  const types: unknown[] = properties.InstanceTypes ?? [];
  return {
    name: `Nodegroup/${id}`,
    cluster,
    zones: subnetZones.length > 0 ? [...new Set<string>(subnetZones)].sort() : cluster.zones,
    label: (key) => {
      if (typeof labels[key] === 'string') return fixed(labels[key]);
      if (key === 'kubernetes.io/arch' && arch) return fixed(arch);
      if (key === 'node.kubernetes.io/instance-type' && types.length > 0 && types.every((t) => typeof t === 'string')) {
        return { values: types as string[], excluded: [], absent: false, present: true };
      }
      if (key === 'eks.amazonaws.com/capacityType') return fixed(properties.CapacityType ?? 'ON_DEMAND');
      // Karpenter's labels are on Karpenter's nodes only.
      if (key.startsWith('karpenter.sh/') || key.startsWith('karpenter.k8s.aws/')) return ABSENT;
      return undefined;
    },
    taints: (Array.isArray(properties.Taints) ? properties.Taints : [])
      .map((t: any) => ({ key: t.Key, value: t.Value, effect: EFFECTS[t.Effect] ?? t.Effect })),
  };
}

/**
 * The node sources of a cluster: the NodePools (karpenter.sh/v1) its
 * template applies, those of the manifests its Argo CD syncs (`applies`
 * decides), and the managed node groups of its stack.
 */
export function nodeSources(cluster: ClusterStack, manifests: SourcedObject[], applies: (o: SourcedObject) => boolean): NodeSource[] {
  const objects = [...cluster.objects, ...manifests.filter(applies)];
  const pools = objects.filter((o) => o.object.kind === 'NodePool' && o.object.apiVersion === 'karpenter.sh/v1')
    .map((o) => nodePoolSource(cluster, o, objects));
  const groups = resourcesOfType(cluster.stack, 'AWS::EKS::Nodegroup').filter(([, g]) => {
    const name = g.Properties?.ClusterName;
    return referenced(cluster.stack, name)?.[0] === cluster.clusterLogicalId || (typeof name === 'string' && name === cluster.clusterName);
  }).map(([id, g]) => nodegroupSource(cluster, id, g));
  return [...pools, ...groups];
}

/** The pod's required node selector terms (ORed), each with the nodeSelector's labels ANDed in; a term without requirement matches no node. */
export function podNodeTerms(podSpec: any): any[][] {
  const selector = Object.entries<unknown>(podSpec.nodeSelector ?? {})
    .map(([key, value]) => ({ key, operator: 'In', values: [String(value)] }));
  const required = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(required?.nodeSelectorTerms)) return [selector];
  return required.nodeSelectorTerms.map((term: any) => term ?? {})
    .filter((term: any) => listOf(term.matchExpressions).length > 0 || listOf(term.matchFields).length > 0)
    .map((term: any) => [...listOf(term.matchExpressions), ...selector]);
}

/** Whether a source's nodes in a zone can take the pod, and why not. */
function termFits(source: NodeSource, term: any[], zone: string): string | undefined {
  const keys = [...new Set(term.map((r) => r.key))];
  for (const key of keys) {
    const wanted = term.filter((r) => r.key === key).map(requirementDomain).reduce(intersect);
    const offered = key === ZONE_TOPOLOGY_KEY ? fixed(zone) : source.label(key);
    if (!satisfiable(offered ? intersect(wanted, offered) : wanted)) {
      const offers = key === ZONE_TOPOLOGY_KEY ? source.zones.join(', ') || 'no zone' : offered ? describeDomain(offered) : 'any value';
      return `${key}: the pods need ${describeDomain(wanted)}, it offers ${offers}`;
    }
  }
  return undefined;
}

/** What one node source offers the pods: the zones where its nodes can take them, or why none can. */
export interface SourceFit {
  readonly source: NodeSource;
  readonly zones: string[];
  readonly why?: string;
}

/**
 * Where each node source can run the pods: its zones where some required
 * node selector term of the pods (nodeSelector included) is met by the labels
 * its nodes carry, and only if the pods tolerate its NoSchedule and NoExecute
 * taints (as the scheduler and Karpenter filter nodes and NodePools).
 */
export function sourceFits(sources: NodeSource[], podSpec: any): SourceFit[] {
  const terms = podNodeTerms(podSpec);
  const tolerations = listOf(podSpec.tolerations);
  return sources.map((source) => {
    const untolerated = source.taints.filter((t) => t.effect !== 'PreferNoSchedule' && !tolerations.some((tol) => toleratesTaint(tol, t)));
    if (untolerated.length > 0) return { source, zones: [], why: `taint ${untolerated.map(describeTaint).join(', ')} is not tolerated` };
    if (terms.length === 0) return { source, zones: [], why: 'the pods\' node affinity has only empty terms, which match no node' };
    const reasons: string[] = [];
    const zones = source.zones.filter((zone) => terms.some((term) => {
      const why = termFits(source, term, zone);
      if (why) reasons.push(why);
      return why === undefined;
    }));
    return { source, zones, why: zones.length === 0 ? (reasons[0] ?? 'it has no zone') : undefined };
  });
}

/** A NodePool's limits, in millicores and MiB (undefined: unlimited). */
export function poolLimits(pool: SourcedObject): { cpu?: number; memory?: number } {
  const limits = pool.object.spec?.limits ?? {};
  return {
    cpu: limits.cpu !== undefined ? quantityMillicores(limits.cpu) : undefined,
    memory: limits.memory !== undefined ? quantityMebibytes(limits.memory) : undefined,
  };
}
