import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { KubeObject } from '../inputs';
import { ClusterStack, helmRelease, referenced, resourcesOfType } from '../platform';
import { Check, rowOf } from '../row-builder';
import { subjectOf } from '../workloads';
import { LOAD_BALANCER_CONTROLLER_CHART, attributes, ingressLoadBalancerAttributes, isAlbIngress, isNlbService } from './alb';

/** The load balancer attribute an ARC zonal shift needs, on an ALB and an NLB alike (ELB load balancer attributes). */
export const ZONAL_SHIFT_ATTRIBUTE = 'zonal_shift.config.enabled';
const NLB_ATTRIBUTES = 'service.beta.kubernetes.io/aws-load-balancer-attributes';

/**
 * AZ evacuation for a cluster: the az-evacuation runbook shifts the cluster
 * (zonal shift on EKS) and finds the ALBs by the Load Balancer Controller's
 * `elbv2.k8s.aws/cluster` tag, which carries the controller's clusterName.
 */
export function clusterEvacuationRow(cluster: ClusterStack): ReportRow {
  const controller = helmRelease(cluster, LOAD_BALANCER_CONTROLLER_CHART);
  const checks: Check[] = [
    {
      ok: cluster.zonalShift,
      found: `ZonalShiftConfig.Enabled ${cluster.zonalShift}`,
      fix: 'enable zonal shift on the EKS cluster (ZonalShiftConfig: { Enabled: true })',
    },
    {
      ok: cluster.clusterName !== undefined,
      found: cluster.clusterName ? `cluster name "${cluster.clusterName}" is known at synth (the runbook's ARN)` : 'the cluster name is generated at deploy time: the runbook cannot name it',
      fix: 'give the cluster a literal name (clusterName)',
    },
    {
      ok: controller !== undefined && controller.values.clusterName === cluster.clusterName,
      found: controller ? `Load Balancer Controller clusterName "${controller.values.clusterName}" tags each ALB elbv2.k8s.aws/cluster=${controller.values.clusterName}`
        : 'no AWS Load Balancer Controller: no ALB to shift',
      fix: 'install the AWS Load Balancer Controller with clusterName equal to the EKS cluster name',
    },
  ];
  return rowOf({
    id: 'az-evacuation',
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'An Availability Zone can be evacuated with ARC zonal shift, as the az-evacuation runbook does',
    subject: cluster.subject,
    evidence: [cluster.clusterLogicalId, controller?.logicalId].filter((id) => id).join(', ') + ` (${cluster.stack.templatePath})`,
  }, checks);
}

/** AZ evacuation for an ALB Ingress: the runbook's zonal shift on its load balancer needs the attribute. */
export function ingressEvacuationRow(context: ReportContext, ingress: KubeObject, source: string): ReportRow {
  const group = ingress.metadata.annotations?.['alb.ingress.kubernetes.io/group.name'];
  const asked = ingressLoadBalancerAttributes(context, ingress);
  const value = asked.attributes[ZONAL_SHIFT_ATTRIBUTE];
  const byClass = asked.classAttributes[ZONAL_SHIFT_ATTRIBUTE] !== undefined;
  return rowOf({
    id: 'az-evacuation',
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'The load balancer of this Ingress accepts an ARC zonal shift',
    subject: subjectOf(ingress),
    evidence: `Ingress/${ingress.metadata.name}${group ? ` (group ${group})` : ''} (${source})`,
  }, [{
    ok: value === 'true',
    found: `${ZONAL_SHIFT_ATTRIBUTE}=${value ?? '(unset: false)'} in ${byClass ? 'the IngressClassParams loadBalancerAttributes of its class' : 'alb.ingress.kubernetes.io/load-balancer-attributes'}`,
    fix: byClass ? `set ${ZONAL_SHIFT_ATTRIBUTE} to true in the loadBalancerAttributes of the IngressClassParams (they override the Ingress's annotation)`
      : `add ${ZONAL_SHIFT_ATTRIBUTE}=true to alb.ingress.kubernetes.io/load-balancer-attributes (HaMicroservice does)`,
  }]);
}

/** AZ evacuation for a Service the controller gives an NLB: the runbook shifts every load balancer tagged with the cluster, NLBs too. */
export function serviceEvacuationRow(service: KubeObject, source: string): ReportRow {
  const value = attributes(service.metadata.annotations?.[NLB_ATTRIBUTES])[ZONAL_SHIFT_ATTRIBUTE];
  return rowOf({
    id: 'az-evacuation',
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'The NLB of this Service accepts an ARC zonal shift',
    subject: subjectOf(service),
    evidence: `Service/${service.metadata.name} (${source})`,
  }, [{
    ok: value === 'true',
    found: `${ZONAL_SHIFT_ATTRIBUTE}=${value ?? '(unset: false)'} in ${NLB_ATTRIBUTES}`,
    fix: `add ${ZONAL_SHIFT_ATTRIBUTE}=true to ${NLB_ATTRIBUTES} on Service/${service.metadata.name}`,
  }]);
}

/** Every ALB Ingress of the input, with where it was read. */
export function albIngresses(context: ReportContext): Array<{ ingress: KubeObject; source: string }> {
  return context.objects.filter((o) => o.object.kind === 'Ingress' && isAlbIngress(context, o.object)).map((o) => ({ ingress: o.object, source: o.source }));
}

/** Every Service of the input the Load Balancer Controller gives an NLB, with where it was read. */
export function nlbServices(context: ReportContext): Array<{ service: KubeObject; source: string }> {
  return context.objects.filter((o) => o.object.kind === 'Service' && isNlbService(context, o.object)).map((o) => ({ service: o.object, source: o.source }));
}

/**
 * Zone-independent egress: every private subnet's default route goes through
 * a NAT gateway in its own zone, so losing a zone stops no other zone's
 * egress (image pulls, AWS APIs).
 */
export function zonalEgressRow(cluster: ClusterStack): ReportRow {
  const stack = cluster.stack;
  const subnetZone = (subnet: any) => referenced(stack, subnet)?.[1]?.Properties?.AvailabilityZone;
  const natZone = new Map(resourcesOfType(stack, 'AWS::EC2::NatGateway').map(([id, nat]) => [id, subnetZone(nat.Properties?.SubnetId)]));
  const tableZones = new Map<string, string[]>();
  for (const [, association] of resourcesOfType(stack, 'AWS::EC2::SubnetRouteTableAssociation')) {
    const table = referenced(stack, association.Properties?.RouteTableId)?.[0];
    const zone = subnetZone(association.Properties?.SubnetId);
    if (table && zone) tableZones.set(table, [...(tableZones.get(table) ?? []), zone]);
  }
  const routes = resourcesOfType(stack, 'AWS::EC2::Route').filter(([, r]) => r.Properties?.NatGatewayId && r.Properties?.DestinationCidrBlock === '0.0.0.0/0');
  const crossings: string[] = [];
  for (const [, route] of routes) {
    const nat = referenced(stack, route.Properties.NatGatewayId)?.[0];
    const zones = tableZones.get(referenced(stack, route.Properties.RouteTableId)?.[0] ?? '') ?? [];
    for (const zone of zones) if (nat && natZone.get(nat) !== zone) crossings.push(`${zone} -> NAT in ${natZone.get(nat)}`);
  }
  const natZones = new Set(natZone.values());
  return rowOf({
    id: 'zonal-egress',
    requirement: Requirement.HIGH_AVAILABILITY,
    claim: 'Losing a zone stops no other zone\'s egress (one NAT gateway per zone)',
    subject: stack.name,
    evidence: `${natZone.size} AWS::EC2::NatGateway, ${routes.length} default routes through NAT (${stack.templatePath})`,
  }, [{
    ok: routes.length > 0 && crossings.length === 0,
    found: routes.length === 0 ? 'no private subnet routes through a NAT gateway'
      : `${natZones.size} NAT zone(s) for ${cluster.zones.length} cluster zone(s); ${crossings.length === 0 ? 'every private subnet uses its own zone\'s NAT gateway' : `cross-zone routes: ${crossings.join(', ')}`}`,
    fix: 'one NAT gateway per zone (PlatformProfile.HIGH_AVAILABILITY)',
  }]);
}
