import { k8s } from 'cdk8s-plus-33';
import { invalid, requireIntegerInRange } from '../../policy/errors';
import { requireCidr, requireNamespace, requireServiceName } from '../../policy/names';
import { APP_NAME_LABEL } from '../labels';
import { EgressDestination, NetworkProtocol, ServiceCaller } from '../network-access';

/** CoreDNS on EKS: the pods labelled k8s-app=kube-dns in kube-system. */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

/**
 * The EKS Pod Identity agent answers on link-local addresses on every node.
 * Without this rule a deny-by-default egress policy makes every AWS SDK call
 * fail for lack of credentials, even with a valid Pod Identity association.
 */
export function podIdentityEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }],
    ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(80) }],
  };
}

/** Pods of another workload, by app name and optionally namespace. */
export function workloadPeer(app: string, namespace: string | undefined): k8s.NetworkPolicyPeer {
  return {
    podSelector: { matchLabels: { [APP_NAME_LABEL]: app } },
    ...(namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } : {}),
  };
}

/** An ingress rule admitting a declared caller on the container port. */
export function callerIngressRule(prop: string, caller: ServiceCaller, containerPort: number): k8s.NetworkPolicyIngressRule {
  requireServiceName(`${prop}.app`, caller.app);
  if (caller.namespaceName !== undefined) requireNamespace(`${prop}.namespaceName`, caller.namespaceName);
  return { from: [workloadPeer(caller.app, caller.namespaceName)], ports: [tcpPort(containerPort)] };
}

/** An ingress rule admitting the ALB's addresses on the container port (and the health-check port, if another). */
export function albIngressRule(sourceCidrs: string[], ports: Array<number | undefined>): k8s.NetworkPolicyIngressRule {
  const distinct = [...new Set(ports.filter((port): port is number => port !== undefined))];
  return { from: sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: distinct.map(tcpPort) };
}

/** An egress rule for a declared destination. */
export function destinationEgressRule(prop: string, destination: EgressDestination): k8s.NetworkPolicyEgressRule {
  if ((destination.app === undefined) === (destination.cidr === undefined)) {
    invalid(prop, destination, 'must set exactly one of app or cidr', 'use { app: "payments", port: 8080 } or { cidr: "0.0.0.0/0", port: 443 }');
  }
  requireIntegerInRange(`${prop}.port`, destination.port, 1, 65535, 'TCP and UDP ports range from 1 to 65535');
  const port = { protocol: destination.protocol ?? NetworkProtocol.TCP, port: k8s.IntOrString.fromNumber(destination.port) };
  if (destination.cidr !== undefined) {
    if (destination.namespaceName !== undefined) {
      invalid(`${prop}.namespaceName`, destination.namespaceName, 'only applies to an app destination', 'remove namespaceName or use app instead of cidr');
    }
    requireCidr(`${prop}.cidr`, destination.cidr);
    return { to: [{ ipBlock: { cidr: destination.cidr } }], ports: [port] };
  }
  requireServiceName(`${prop}.app`, destination.app!);
  if (destination.namespaceName !== undefined) requireNamespace(`${prop}.namespaceName`, destination.namespaceName);
  return { to: [workloadPeer(destination.app!, destination.namespaceName)], ports: [port] };
}

function tcpPort(port: number): k8s.NetworkPolicyPort {
  return { protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) };
}
