export * from './k8s/alb-exposure';
export * from './k8s/ha-microservice';
export * from './k8s/ha-microservice-props';
export * from './k8s/health-probe';
export * from './k8s/network-access';
export * from './k8s/resilience-settings';
