/** The recommended Kubernetes labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const APP_INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const APP_VERSION_LABEL = 'app.kubernetes.io/version';
export const APP_COMPONENT_LABEL = 'app.kubernetes.io/component';
export const APP_PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const APP_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
