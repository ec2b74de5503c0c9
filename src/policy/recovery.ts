import { Decision } from './decision';
import { requireIntegerInRange } from './errors';

/** Taints the node lifecycle controller puts on a node that stops reporting. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** Kubernetes' own default, added to every pod by the DefaultTolerationSeconds admission plugin. */
export const KUBERNETES_DEFAULT_TOLERATION_SECONDS = 300;
export const DEFAULT_TOLERATION_SECONDS = 30;
/**
 * Below 10 s a kubelet restart or a short API-server blip would evict every
 * pod of a healthy node.
 */
export const MIN_TOLERATION_SECONDS = 10;

/**
 * How long pods stay bound to a node that stopped reporting before they are
 * evicted and replaced elsewhere.
 *
 * A node is marked unreachable about 40-50 s after its last heartbeat; with
 * Kubernetes' default toleration of 300 s, replacements start ~6 minutes after
 * a node dies. 30 s brings that to ~80 s while staying well above a kubelet
 * restart.
 *
 * This bounds one node. For a zone, the node lifecycle controller taints nodes
 * at a limited rate (0.1 node/s), and when a zone is only partly down (>= 55%
 * of its nodes not ready) in a cluster of 50 nodes or fewer it stops tainting
 * altogether, assuming a network partition. The pods already running in the
 * surviving zones carry the load meanwhile (the HPA target's headroom); the
 * zone is taken out with an ARC zonal shift.
 */
export function notReadyTolerationSeconds(requested: number | undefined, prop: string): Decision<number> {
  if (requested === undefined) {
    return {
      value: DEFAULT_TOLERATION_SECONDS,
      reason: `evict pods ${DEFAULT_TOLERATION_SECONDS} s after a node is marked not-ready/unreachable instead of Kubernetes' ` +
        `${KUBERNETES_DEFAULT_TOLERATION_SECONDS} s: replacements start ~80 s after a node dies instead of ~6 minutes`,
    };
  }
  requireIntegerInRange(prop, requested, MIN_TOLERATION_SECONDS, KUBERNETES_DEFAULT_TOLERATION_SECONDS,
    `below ${MIN_TOLERATION_SECONDS} s a kubelet restart evicts healthy pods; above ${KUBERNETES_DEFAULT_TOLERATION_SECONDS} s is slower than Kubernetes' default`);
  return { value: requested, reason: `evict pods ${requested} s after a node is marked not-ready/unreachable, as requested` };
}

/**
 * The figures the node-loss timeline of the resilience report adds up, each
 * with its source. Estimates are marked: they are what could be confirmed
 * offline on 2026-12-02, and a reader can check every step of the sum.
 */
export const NODE_LOSS_TIMELINE = {
  /** kube-controller-manager --node-monitor-grace-period: 50 s since Kubernetes 1.32 (kubernetes/kubernetes#126287; 40 s before). EKS does not expose the flag. */
  nodeMonitorGraceSeconds: 50,
  /** Kubernetes' DefaultTolerationSeconds admission plugin gives pods 300 s for not-ready/unreachable when they set none. */
  defaultTolerationSeconds: KUBERNETES_DEFAULT_TOLERATION_SECONDS,
  /** Karpenter batches pending pods until 1 s passes with no new one (BATCH_IDLE_DURATION, karpenter.sh settings reference). */
  schedulingSeconds: 1,
  /** Karpenter launch to node Ready on AL2023: an estimate (Karpenter's docs give no figure; public reports say 45-90 s). */
  nodeLaunchSeconds: 60,
  /** The upper end of the reported launch-to-Ready times, to show how the sum fares when launches are slow. */
  nodeLaunchSecondsHigh: 90,
  /** Pulling a typical service image from ECR in the same region: an estimate (2-10 s reported), the upper end. */
  imagePullSeconds: 10,
  /** Kubernetes' pod startup SLO: 99% of pods running within 5 s, image pull excluded (kubernetes/community sig-scalability/slos/pod_startup_latency.md). */
  podStartSeconds: 5,
  /** Load Balancer Controller registering a new pod IP in its target group: an estimate (one reconcile and a RegisterTargets call). */
  targetRegistrationSeconds: 5,
  /** Kubernetes serving again within this after a node dies: the architecture's target. */
  targetSeconds: 180,
} as const;
