/**
 * A small model of the kube-scheduler's PodTopologySpread filter, written from
 * the TopologySpreadConstraint API documentation, to test the spread policy in
 * the situations it must handle (normal operation, a lost zone). It models
 * what the policy relies on: maxSkew, minDomains, nodeTaintsPolicy and the
 * taint filter. Soft (ScheduleAnyway) constraints only rank feasible nodes.
 */

export interface SimTaint { readonly key: string; readonly effect: 'NoSchedule' | 'NoExecute' }
export interface SimNode { readonly name: string; readonly zone: string; readonly taints: SimTaint[]; readonly capacity: number }
export interface SimToleration { readonly key: string; readonly effect: string }
export interface SimConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: string;
  readonly minDomains?: number;
  readonly nodeTaintsPolicy?: string;
}

const ZONE = 'topology.kubernetes.io/zone';

function topologyValue(node: SimNode, key: string): string {
  return key === ZONE ? node.zone : node.name;
}

function tolerates(tolerations: SimToleration[], taint: SimTaint): boolean {
  return tolerations.some((t) => t.key === taint.key && t.effect === taint.effect);
}

export class SpreadCluster {
  /** Pods of the workload, by node name. */
  private readonly placement = new Map<string, number>();

  constructor(
    private readonly nodes: SimNode[],
    private readonly constraints: SimConstraint[],
    private readonly tolerations: SimToleration[],
  ) {}

  /** Schedules `count` pods one by one; returns how many stayed Pending. */
  public schedule(count: number): number {
    let pending = 0;
    for (let i = 0; i < count; i++) {
      const node = this.pickNode();
      if (node) this.placement.set(node.name, (this.placement.get(node.name) ?? 0) + 1);
      else pending++;
    }
    return pending;
  }

  /** Marks a zone as failed the way the node lifecycle controller does, and evicts its pods. Returns the evicted count. */
  public loseZone(zone: string): number {
    let evicted = 0;
    this.nodes.forEach((node, i) => {
      if (node.zone !== zone) return;
      this.nodes[i] = {
        ...node,
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        ],
      };
      evicted += this.placement.get(node.name) ?? 0;
      this.placement.delete(node.name);
    });
    return evicted;
  }

  /** Pods per zone, sorted by zone name. */
  public podsPerZone(): Record<string, number> {
    const perZone: Record<string, number> = {};
    for (const node of [...this.nodes].sort((a, b) => a.zone.localeCompare(b.zone))) {
      perZone[node.zone] = (perZone[node.zone] ?? 0) + (this.placement.get(node.name) ?? 0);
    }
    return perZone;
  }

  private schedulable(node: SimNode): boolean {
    const taintsOk = node.taints.every((taint) => tolerates(this.tolerations, taint));
    return taintsOk && (this.placement.get(node.name) ?? 0) < node.capacity;
  }

  /** Pod counts per domain over the nodes the constraint considers, and the global minimum. */
  private domains(constraint: SimConstraint): { counts: Map<string, number>; globalMin: number } {
    const eligible = this.nodes.filter((node) => constraint.nodeTaintsPolicy !== 'Honor' ||
      node.taints.every((taint) => tolerates(this.tolerations, taint)));
    const counts = new Map<string, number>();
    for (const node of eligible) {
      const domain = topologyValue(node, constraint.topologyKey);
      counts.set(domain, (counts.get(domain) ?? 0) + (this.placement.get(node.name) ?? 0));
    }
    const min = counts.size === 0 ? 0 : Math.min(...counts.values());
    const globalMin = constraint.minDomains !== undefined && counts.size < constraint.minDomains ? 0 : min;
    return { counts, globalMin };
  }

  private pickNode(): SimNode | undefined {
    const hard = this.constraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map((c) => ({ c, ...this.domains(c) }));
    const feasible = this.nodes.filter((node) => this.schedulable(node) && hard.every(({ c, counts, globalMin }) => {
      const count = counts.get(topologyValue(node, c.topologyKey));
      // A node outside the constraint's domains (e.g. excluded by taints) cannot satisfy it.
      return count !== undefined && count + 1 - globalMin <= c.maxSkew;
    }));
    // Rank by the emptiest zone, then the emptiest node: what the spread scores favour.
    const zoneCount = (node: SimNode) => this.nodes.filter((n) => n.zone === node.zone)
      .reduce((sum, n) => sum + (this.placement.get(n.name) ?? 0), 0);
    return feasible.sort((a, b) => zoneCount(a) - zoneCount(b) ||
      (this.placement.get(a.name) ?? 0) - (this.placement.get(b.name) ?? 0) || a.name.localeCompare(b.name))[0];
  }
}

/** `zones` zones (eu-west-1a, b, ...) with `perZone` nodes each, each node fitting `capacity` pods. */
export function zoneNodes(zones: number, perZone: number, capacity: number): SimNode[] {
  return 'abcdef'.slice(0, zones).split('').flatMap((zone) => Array.from({ length: perZone }, (_, i) => ({
    name: `node-${zone}${i}`, zone: `eu-west-1${zone}`, taints: [], capacity,
  })));
}

/** Three zones with `perZone` nodes each, each node fitting `capacity` pods. */
export function threeZoneNodes(perZone: number, capacity: number): SimNode[] {
  return zoneNodes(3, perZone, capacity);
}
