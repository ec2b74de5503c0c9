import { KubeObject } from './inputs';
import { ClusterStack } from './platform';
import { HPA_TOLERANCE } from '../../policy/autoscaling';

/** CPU utilisation the survivors carry after a zone loss that leaves `share` of the replicas: target x (1 + tolerance) / share. */
export function survivorUtilization(target: number, share: number, tolerance: number = HPA_TOLERANCE): number {
  return share <= 0 ? Infinity : (target * (1 + tolerance)) / share;
}

/**
 * The first Kubernetes version whose HPAs honour a per-HPA tolerance by
 * default: HPAConfigurableTolerance (KEP-4951) is alpha in 1.33 and beta, on
 * by default, in 1.35 (the v1.35 API reference of HPAScalingRules.tolerance).
 * With the gate off the API server drops the field and the controller's 0.1
 * applies.
 */
const CONFIGURABLE_TOLERANCE_VERSION = [1, 35];

/** A tolerance quantity ("0.05", "50m", 0.5) as a fraction; undefined when unset or not a quantity. */
function toleranceOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(m?)$/.exec(value) : null;
  return match ? Number(match[1]) / (match[2] === 'm' ? 1000 : 1) : undefined;
}

/** Whether a cluster's Kubernetes version (AWS::EKS::Cluster Version) honours a per-HPA tolerance by default. */
function honoursTolerance(cluster: ClusterStack): boolean {
  const version = cluster.stack.template.Resources?.[cluster.clusterLogicalId]?.Properties?.Version;
  const [major, minor] = typeof version === 'string' ? version.split('.').map(Number) : [];
  const [wantMajor, wantMinor] = CONFIGURABLE_TOLERANCE_VERSION;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/** How far above its target the HPA lets usage sit before it scales up, and where that comes from. */
export interface ScaleUpTolerance {
  readonly value: number;
  readonly found?: string;
}

/**
 * The HPA's scale-up tolerance: behavior.scaleUp.tolerance where every
 * cluster that runs the pods honours it, else the controller's 0.1 (a larger
 * tolerance is taken even then, since it may be honoured).
 */
export function scaleUpTolerance(hpa: KubeObject | undefined, clusters: ClusterStack[]): ScaleUpTolerance {
  const set = toleranceOf(hpa?.spec?.behavior?.scaleUp?.tolerance);
  if (set === undefined) return { value: HPA_TOLERANCE };
  const honoured = clusters.length > 0 && clusters.every(honoursTolerance);
  const value = honoured ? set : Math.max(set, HPA_TOLERANCE);
  return {
    value,
    found: `HorizontalPodAutoscaler/${hpa!.metadata.name} behavior.scaleUp.tolerance ${set}` +
      (honoured ? ` replaces the controller's ${HPA_TOLERANCE}` : `; ${value} counts, since not every cluster that runs the pods is known to run ` +
        `Kubernetes ${CONFIGURABLE_TOLERANCE_VERSION.join('.')}+, where HPAConfigurableTolerance is on by default`),
  };
}

