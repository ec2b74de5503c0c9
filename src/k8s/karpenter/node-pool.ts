import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeSeconds } from '../../policy/durations';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { goDuration } from '../../policy/go-duration';
import { requireObjectName, requireQualifiedName } from '../../policy/names';
import { ZONE_TOPOLOGY_KEY } from '../../policy/spread';
import { MIN_ZONE_COUNT } from '../../policy/zones';
import { CpuArchitecture } from '../ha-microservice-props';

/** How Karpenter may buy capacity. */
export enum CapacityType {
  /** Spare EC2 capacity at up to 90% off, reclaimable with a 2-minute warning. */
  SPOT = 'spot',
  /** Regular on-demand capacity. */
  ON_DEMAND = 'on-demand',
}

/** Why Karpenter disrupts a node; a budget can apply to some reasons only. */
export enum DisruptionReason {
  /** The node runs no workload pods. */
  EMPTY = 'Empty',
  /** The node no longer matches its NodePool or EC2NodeClass (new AMI, changed requirements). */
  DRIFTED = 'Drifted',
  /** The node's pods fit elsewhere, or on a cheaper node. */
  UNDERUTILIZED = 'Underutilized',
}

/** A limit on how many nodes Karpenter may disrupt at once. */
export interface NodePoolDisruptionBudget {
  /** Nodes that may be disrupted at once: a count ("1") or a percentage ("10%"). */
  readonly nodes: string;
  /**
   * Cron schedule (UTC) when the budget starts to apply; needs `duration`.
   * @default - always active
   */
  readonly schedule?: string;
  /**
   * How long the budget applies after each `schedule` tick.
   * @default - always active
   */
  readonly duration?: Duration;
  /**
   * The disruption reasons the budget applies to.
   * @default - all reasons
   */
  readonly reasons?: DisruptionReason[];
}

/** A taint Karpenter puts on the nodes it launches. */
export interface NodeTaint {
  /** The taint key. */
  readonly key: string;
  /**
   * The taint value.
   * @default - no value
   */
  readonly value?: string;
  /** The effect: NoSchedule, PreferNoSchedule or NoExecute. */
  readonly effect: string;
}

/** What a NodePool may launch and how it is disrupted; see {@link NodePoolProps}. */
export interface NodePoolOptions {
  /**
   * The NodePool's name.
   * @default "default"
   */
  readonly name?: string;
  /**
   * Capacity types. With both, Karpenter launches spot (price-capacity-optimized)
   * and falls back to on-demand when no spot capacity fits.
   * @default [CapacityType.SPOT, CapacityType.ON_DEMAND]
   */
  readonly capacityTypes?: CapacityType[];
  /**
   * CPU architectures; add ARM64 (Graviton, cheaper per vCPU) when the workloads' images are multi-arch.
   * @default [CpuArchitecture.AMD64]
   */
  readonly architectures?: CpuArchitecture[];
  /**
   * Instance categories (compute, general purpose, memory optimised).
   * @default ["c", "m", "r"]
   */
  readonly instanceCategories?: string[];
  /**
   * Oldest instance generation allowed (6 excludes c5/m5/r5 and older).
   * @default 6
   */
  readonly minInstanceGeneration?: number;
  /**
   * Idle time before an empty or underutilised node is consolidated. Non-zero so
   * capacity freed by a short dip is not removed while the HPA (5-minute
   * scale-down window) may still need it.
   * @default Duration.minutes(5)
   */
  readonly consolidateAfter?: Duration;
  /**
   * Disruption budgets.
   * @default - at most 10% of the nodes at once, and one at a time for drift
   */
  readonly budgets?: NodePoolDisruptionBudget[];
  /**
   * Node lifetime: nodes are replaced after this, picking up patched AMIs.
   * @default Duration.days(30)
   */
  readonly expireAfter?: Duration;
  /**
   * How long a node may drain before it is terminated anyway (a PDB cannot block it for ever).
   * @default Duration.hours(24)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Total vCPUs this NodePool may run: a cost guardrail.
   * @default 200
   */
  readonly cpuLimit?: number;
  /**
   * Total memory this NodePool may run: a cost guardrail.
   * @default Size.gibibytes(800)
   */
  readonly memoryLimit?: Size;
  /**
   * Priority among NodePools (higher first).
   * @default - no weight
   */
  readonly weight?: number;
  /**
   * Labels on the nodes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Taints on the nodes.
   * @default - none
   */
  readonly taints?: NodeTaint[];
}

/** Properties of a {@link NodePool}. */
export interface NodePoolProps extends NodePoolOptions {
  /** The EC2NodeClass the nodes are launched with. */
  readonly nodeClassName: string;
  /** The zones nodes may be launched in: all the cluster's zones, so the zone spread can be met (at least 2). */
  readonly zones: string[];
}

const BUDGET_NODES = /^((100|[1-9]?[0-9])%|(0|[1-9][0-9]*))$/;
/** Label domains Karpenter's CRD refuses on NodePool labels (CEL), except node.kubernetes.io and node-restriction.kubernetes.io. */
const RESTRICTED_LABEL_DOMAINS = ['kubernetes.io', 'k8s.io', 'karpenter.sh', 'karpenter.k8s.aws'];
const ALLOWED_LABEL_DOMAINS = ['node.kubernetes.io', 'node-restriction.kubernetes.io'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * A Karpenter `NodePool` (karpenter.sh/v1): which capacity Karpenter may
 * launch for pending pods, and how it consolidates and replaces it.
 */
export class NodePool extends Construct {
  /** The NodePool's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name ?? 'default');
    requireObjectName('nodeClassName', props.nodeClassName);
    const zones = [...new Set(props.zones)];
    if (zones.length < MIN_ZONE_COUNT) {
      invalid('zones', props.zones, `must list at least ${MIN_ZONE_COUNT} distinct zones, or the zone spread of every service is pinned to one zone`,
        'list all the cluster\'s Availability Zones');
    }
    const capacityTypes = props.capacityTypes ?? [CapacityType.SPOT, CapacityType.ON_DEMAND];
    nonEmpty('capacityTypes', capacityTypes, 'use [CapacityType.SPOT, CapacityType.ON_DEMAND]');
    const architectures = props.architectures ?? [CpuArchitecture.AMD64];
    nonEmpty('architectures', architectures, 'use [CpuArchitecture.AMD64]');
    const categories = props.instanceCategories ?? ['c', 'm', 'r'];
    nonEmpty('instanceCategories', categories, 'use ["c", "m", "r"]');
    categories.forEach((c, i) => {
      if (!/^[a-z]+$/.test(c)) invalid(`instanceCategories[${i}]`, c, 'must be an instance family letter such as "c", "m" or "r"', 'use lower-case letters only');
    });
    const generation = requireIntegerInRange('minInstanceGeneration', props.minInstanceGeneration ?? 6, 1, 20, 'EC2 generations run from 1 upwards');

    const consolidateAfter = props.consolidateAfter ?? Duration.minutes(5);
    if (wholeSeconds('consolidateAfter', consolidateAfter) <= 0) {
      invalid('consolidateAfter', '0s', 'must be longer than zero, or capacity freed by a short dip is removed before the HPA can use it again', 'use Duration.minutes(5)');
    }
    const expireAfter = props.expireAfter ?? Duration.days(30);
    const grace = props.terminationGracePeriod ?? Duration.hours(24);
    if (wholeSeconds('expireAfter', expireAfter) < 3600) {
      invalid('expireAfter', goDuration('expireAfter', expireAfter), 'must be at least 1 hour, or nodes churn faster than workloads settle', 'use Duration.days(30)');
    }
    if (wholeSeconds('terminationGracePeriod', grace) <= 0) {
      invalid('terminationGracePeriod', '0s', 'must be longer than zero so pods can drain', 'use Duration.hours(24)');
    }
    const cpuLimit = requireIntegerInRange('cpuLimit', props.cpuLimit ?? 200, 1, 100000, 'a NodePool must be allowed at least one vCPU');
    const memoryGib = (props.memoryLimit ?? Size.gibibytes(800)).toGibibytes();
    requireIntegerInRange('memoryLimit', memoryGib, 1, 1000000, 'a whole number of GiB, at least 1');
    if (props.weight !== undefined) requireIntegerInRange('weight', props.weight, 1, 100, 'Karpenter accepts weights from 1 to 100');
    Object.keys(props.labels ?? {}).forEach((key) => {
      requireQualifiedName(`labels["${key}"]`, key);
      const domain = key.includes('/') ? key.split('/')[0] : '';
      const restricted = RESTRICTED_LABEL_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`)) &&
        !ALLOWED_LABEL_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
      if (restricted) {
        invalid(`labels["${key}"]`, key, `uses the restricted label domain "${domain}", which Karpenter's NodePool CRD rejects at apply`,
          'use a domain of your own, e.g. "example.com/workload-class"');
      }
    });
    (props.taints ?? []).forEach((taint, i) => {
      requireQualifiedName(`taints[${i}].key`, taint.key);
      if (!TAINT_EFFECTS.includes(taint.effect)) {
        invalid(`taints[${i}].effect`, taint.effect, `must be one of ${TAINT_EFFECTS.join(', ')}`, 'use "NoSchedule"');
      }
    });

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: this.name },
      spec: {
        template: {
          ...(props.labels && Object.keys(props.labels).length > 0 ? { metadata: { labels: { ...props.labels } } } : {}),
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: props.nodeClassName },
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...new Set(capacityTypes)] },
              { key: 'kubernetes.io/arch', operator: 'In', values: [...new Set(architectures)] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: ZONE_TOPOLOGY_KEY, operator: 'In', values: zones },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: [...new Set(categories)] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: [String(generation - 1)] },
              // Too small to be worth the per-node overhead (DaemonSets, ENI limits), or slow to boot.
              { key: 'karpenter.k8s.aws/instance-size', operator: 'NotIn', values: ['nano', 'micro', 'small', 'metal'] },
            ],
            expireAfter: goDuration('expireAfter', expireAfter),
            terminationGracePeriod: goDuration('terminationGracePeriod', grace),
            ...(props.taints && props.taints.length > 0
              ? { taints: props.taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined ? { value: t.value } : {}) })) }
              : {}),
          },
        },
        disruption: {
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          consolidateAfter: goDuration('consolidateAfter', consolidateAfter),
          budgets: renderBudgets(props.budgets),
        },
        limits: { cpu: String(cpuLimit), memory: `${memoryGib}Gi` },
        ...(props.weight !== undefined ? { weight: props.weight } : {}),
      },
    });
  }
}

function nonEmpty(prop: string, values: unknown[], fix: string): void {
  if (values.length === 0) invalid(prop, values, 'must not be empty, or Karpenter can launch no node', fix);
}

function renderBudgets(budgets: NodePoolDisruptionBudget[] | undefined): unknown[] {
  const list = budgets ?? [
    { nodes: '10%' },
    // A new AMI or changed requirements roll the fleet one node at a time.
    { nodes: '1', reasons: [DisruptionReason.DRIFTED] },
  ];
  return list.map((budget, i) => {
    const prop = `budgets[${i}]`;
    if (!BUDGET_NODES.test(budget.nodes)) {
      invalid(`${prop}.nodes`, budget.nodes, 'must be a node count ("1") or a percentage from 0% to 100% ("10%")', 'use "10%" or "1"');
    }
    if ((budget.schedule === undefined) !== (budget.duration === undefined)) {
      invalid(prop, { schedule: budget.schedule, duration: budget.duration && goDuration(`${prop}.duration`, budget.duration) },
        'schedule and duration must be set together', 'set both, e.g. schedule "0 9 * * mon-fri" and Duration.hours(8), or neither');
    }
    if (budget.schedule !== undefined && budget.schedule.trim().split(/\s+/).length !== 5 && !budget.schedule.startsWith('@')) {
      invalid(`${prop}.schedule`, budget.schedule, 'must be a 5-field cron expression or a macro such as "@daily"', 'use e.g. "0 9 * * mon-fri"');
    }
    const duration = budget.duration && goDuration(`${prop}.duration`, budget.duration);
    if (duration !== undefined && duration.endsWith('s')) {
      invalid(`${prop}.duration`, duration, 'must be whole minutes: the NodePool CRD takes budget durations in hours and minutes only', 'use Duration.minutes(n)');
    }
    return {
      nodes: budget.nodes,
      ...(budget.schedule !== undefined ? { schedule: budget.schedule, duration } : {}),
      ...(budget.reasons && budget.reasons.length > 0 ? { reasons: [...budget.reasons] } : {}),
    };
  });
}
