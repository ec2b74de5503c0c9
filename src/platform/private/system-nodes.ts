/** The taint that keeps everything but cluster-critical add-ons off the system node group. */
export const SYSTEM_NODE_TAINT_KEY = 'CriticalAddonsOnly';
/** The label of the system node group's nodes, for add-ons that must run there and nowhere else. */
export const SYSTEM_NODE_LABELS: { readonly [key: string]: string } = { 'resilient-eks/node-role': 'system' };
/** What an add-on's pods tolerate to be allowed onto the system nodes (Helm values form). */
export const SYSTEM_NODE_TOLERATIONS = [{ key: SYSTEM_NODE_TAINT_KEY, operator: 'Exists' }];
