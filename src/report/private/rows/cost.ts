import { thinnestZone } from '../../../policy/autoscaling';
import { profileSettings } from '../../../policy/platform-profile';
import { sameZoneTraffic } from '../../../policy/spread';
import {
  CAPACITY_REFERENCE, CONTROL_PLANE_LOG_GB_PER_MONTH, HOURS_PER_MONTH, PRICES, Price, RegionPrices, SPOT_DISCOUNT,
} from '../../prices';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { SourcedObject } from '../inputs';
import { SourceFit, nodePoolCapacityTypes, poolLimits } from '../node-sources';
import { ClusterStack, resourcesOfType } from '../platform';
import { containersWithoutCpuRequest, cpuTarget, replicaRange } from '../pod-facts';
import { quantityMillicores, quantityMebibytes } from '../quantities';
import { Check, notApplicable, rowOf } from '../row-builder';
import { Workload, runningContainers, subjectOf } from '../workloads';
import { albIngresses } from './az-evacuation';
import { SAME_ZONE_VALUES } from './same-zone';
import { zoneFacts } from '../zone-facts';

const usd = (value: number) => `$${value.toFixed(2)}`;
const monthly = (price: Price, count: number) => count * price.usd * HOURS_PER_MONTH;
const estimateMark = (price: Price) => (price.confidence === 'estimate' ? '*' : '');

/** The prices of a stack's region, or a failing check saying none are pinned. */
function regionPrices(region: string | undefined): RegionPrices | undefined {
  return region ? PRICES[region] : undefined;
}

/** Why a cost row cannot be computed: prices are pinned for a few regions only, and a missing price is no false claim. */
const noPrices = (region: string | undefined) =>
  `no prices are pinned for region ${region ?? '(unknown: the stack has no env.region)'} (src/report/prices.ts has ${Object.keys(PRICES).join(', ')})`;

/**
 * The platform's fixed monthly cost, line by line from the resources the
 * template creates, and what PlatformProfile.COST_OPTIMIZED would remove.
 */
export function platformCostRow(context: ReportContext, cluster: ClusterStack): ReportRow {
  const stack = cluster.stack;
  const header = {
    id: 'cost-platform',
    requirement: Requirement.COST_OPTIMIZATION,
    claim: 'The platform\'s fixed monthly cost is known, line by line, before deploying it',
    subject: stack.name,
    evidence: `${stack.templatePath}; prices from src/report/prices.ts (* = estimate)`,
  };
  const prices = regionPrices(stack.region);
  if (!prices) return notApplicable(header, noPrices(stack.region));
  const count = (type: string) => resourcesOfType(stack, type).length;
  const endpointAzs = resourcesOfType(stack, 'AWS::EC2::VPCEndpoint')
    .filter(([, e]) => e.Properties?.VpcEndpointType === 'Interface').reduce((sum, [, e]) => sum + (e.Properties?.SubnetIds ?? []).length, 0);
  const nodegroups = resourcesOfType(stack, 'AWS::EKS::Nodegroup').map(([, g]) => ({
    type: (g.Properties?.InstanceTypes ?? [])[0] as string, desired: g.Properties?.ScalingConfig?.DesiredSize ?? 0, spot: g.Properties?.CapacityType === 'SPOT',
  }));
  const checks: Check[] = [];
  const lines: Array<[string, number]> = [];
  const line = (what: string, amount: number, price: Price) => lines.push([`${what}${estimateMark(price)}`, amount]);
  line('EKS control plane', monthly(prices.eksClusterHour, 1), prices.eksClusterHour);
  line(`${count('AWS::EC2::NatGateway')} NAT gateways`, monthly(prices.natGatewayHour, count('AWS::EC2::NatGateway')), prices.natGatewayHour);
  line(`${count('AWS::EC2::EIP')} public IPv4`, monthly(prices.publicIpv4Hour, count('AWS::EC2::EIP')), prices.publicIpv4Hour);
  line(`${endpointAzs} interface endpoint-AZs`, monthly(prices.interfaceEndpointAzHour, endpointAzs), prices.interfaceEndpointAzHour);
  for (const group of nodegroups) {
    const price = prices.ec2Hour[group.type];
    if (!price) {
      checks.push({ ok: false, found: `no price pinned for ${group.type} in ${stack.region}`, fix: `add ${group.type} to src/report/prices.ts` });
      continue;
    }
    line(`${group.desired} x ${group.type} system nodes${group.spot ? ' (spot)' : ''}`, monthly(price, group.desired) * (group.spot ? 1 - SPOT_DISCOUNT.usd : 1),
      group.spot ? SPOT_DISCOUNT : price);
  }
  const loadBalancers = new Set(albIngresses(context).map(({ ingress }) =>
    ingress.metadata.annotations?.['alb.ingress.kubernetes.io/group.name'] ?? subjectOf(ingress))).size;
  line(`${loadBalancers} ALB(s) from the manifests (LCUs extra)`, monthly(prices.albHour, loadBalancers), prices.albHour);
  line(`${count('AWS::KMS::Key')} KMS keys`, count('AWS::KMS::Key') * prices.kmsKeyMonth.usd, prices.kmsKeyMonth);
  line(`${count('AWS::CloudWatch::Alarm')} alarms`, count('AWS::CloudWatch::Alarm') * prices.alarmMonth.usd, prices.alarmMonth);
  line(`~${CONTROL_PLANE_LOG_GB_PER_MONTH} GB control-plane logs`, CONTROL_PLANE_LOG_GB_PER_MONTH * prices.logIngestionGb.usd, { ...prices.logIngestionGb, confidence: 'estimate' });
  const total = lines.reduce((sum, [, amount]) => sum + amount, 0);
  checks.push({ ok: true, found: `${lines.map(([what, amount]) => `${what} ${usd(amount)}`).join(' + ')} = ${usd(total)}/month` });

  // What the cost-optimised profile gives up, priced the same way.
  const cheap = profileSettings(false).value.systemNodes;
  const natSaved = Math.max(0, count('AWS::EC2::NatGateway') - 1);
  const systemNow = nodegroups.reduce((sum, g) =>
    sum + (prices.ec2Hour[g.type] ? monthly(prices.ec2Hour[g.type], g.desired) * (g.spot ? 1 - SPOT_DISCOUNT.usd : 1) : 0), 0);
  const cheapPrice = prices.ec2Hour[cheap.instanceTypes[0]];
  const systemCheap = cheapPrice ? monthly(cheapPrice, cheap.desiredSize) * (1 - SPOT_DISCOUNT.usd) : systemNow;
  const saving = natSaved * (monthly(prices.natGatewayHour, 1) + monthly(prices.publicIpv4Hour, 1)) +
    monthly(prices.interfaceEndpointAzHour, endpointAzs) + Math.max(0, systemNow - systemCheap);
  checks.push({
    ok: true,
    found: `high availability costs ${usd(saving)}/month over COST_OPTIMIZED (${natSaved} NAT gateways and IPs, ${endpointAzs} endpoint-AZs, ` +
      `system nodes ${usd(systemNow)} vs ${cheap.desiredSize} spot ${cheap.instanceTypes[0]} ${usd(systemCheap)})`,
  });
  return rowOf(header, checks);
}

/** Requested CPU (millicores) and memory (MiB) of a workload at its lowest replica count, and the containers that request no CPU. */
function requested(workload: Workload): { cpu: number; memory: number; replicas: number; unrequested: string[] } {
  const containers = runningContainers(workload.podSpec);
  const replicas = replicaRange(workload).min;
  const sum = (read: (requests: any) => number) => containers.reduce((total, c) => total + read(c.resources?.requests ?? {}), 0);
  return {
    cpu: sum((r) => quantityMillicores(r.cpu)) * replicas,
    memory: sum((r) => quantityMebibytes(r.memory)) * replicas,
    replicas,
    unrequested: containersWithoutCpuRequest(workload.podSpec),
  };
}

/**
 * The services' requested capacity at their lowest replica counts, priced
 * on-demand and at spot, and the share of it that is the zone-loss headroom
 * the HPA targets keep free.
 */
export function servicesCostRow(context: ReportContext, workloads: Workload[]): ReportRow {
  const regions = [...new Set(context.clusters.map((c) => c.stack.region))];
  const header = {
    id: 'cost-services',
    requirement: Requirement.COST_OPTIMIZATION,
    claim: 'The services\' requested capacity and its zone-loss headroom are priced',
    subject: 'services',
    evidence: `${workloads.length} Deployments; ${CAPACITY_REFERENCE.instanceType} prices from src/report/prices.ts`,
  };
  if (workloads.length === 0) return notApplicable(header, 'no Deployment in the input');
  // Priced in the first platform's region (the primary, in the order stacks were synthesized).
  const region = regions[0];
  const prices = regionPrices(region);
  const price = prices?.ec2Hour[CAPACITY_REFERENCE.instanceType];
  if (!prices || !price) return notApplicable(header, noPrices(region));
  let cpu = 0; let memory = 0; let headroomCpu = 0;
  const unpriced: string[] = [];
  for (const workload of workloads) {
    const r = requested(workload);
    cpu += r.cpu; memory += r.memory;
    headroomCpu += r.cpu * (1 - (cpuTarget(workload.horizontalPodAutoscaler) ?? 100) / 100);
    if (r.unrequested.length > 0) unpriced.push(`${workload.subject} (${r.unrequested.join(', ')})`);
  }
  const nodes = Math.max(cpu / 1000 / CAPACITY_REFERENCE.vcpu, memory / 1024 / CAPACITY_REFERENCE.memoryGib);
  const onDemand = monthly(price, nodes);
  const spot = onDemand * (1 - SPOT_DISCOUNT.usd);
  const checks: Check[] = [];
  if (unpriced.length > 0) {
    checks.push({
      ok: false,
      found: `containers without a CPU request, so capacity nothing reserves and this price leaves out: ${unpriced.join('; ')}`,
      fix: 'set resources.requests.cpu and memory on every container (the scheduler, the HPA and this price all read them)',
    });
  }
  if (cpu === 0) return rowOf(header, checks.length > 0 ? checks : [{ ok: true, found: 'the services request no CPU: there is nothing to price' }]);
  return rowOf(header, [...checks, {
    ok: true,
    found: `${(cpu / 1000).toFixed(2)} vCPU, ${(memory / 1024).toFixed(2)} GiB requested = ${nodes.toFixed(2)} ${CAPACITY_REFERENCE.instanceType}-equivalents ` +
      `(${region}): ${usd(onDemand)}/month on-demand${estimateMark(price)}, ${usd(spot)} at spot (-${SPOT_DISCOUNT.usd * 100}%*); ` +
      `zone-loss headroom ${(headroomCpu / 1000).toFixed(2)} of ${(cpu / 1000).toFixed(2)} vCPU (${Math.round((100 * headroomCpu) / cpu)}%)`,
  }]);
}


/**
 * Same-zone traffic: a Service should prefer same-zone endpoints wherever the
 * library's rule (sameZoneTraffic) finds it safe for the thinnest zone's
 * pods; that removes the cross-zone share of its calls ((N-1)/N when clients
 * and endpoints are spread evenly). Where it is not safe, the row says why.
 */
export function crossZoneCostRow(context: ReportContext, workload: Workload): ReportRow {
  const header = {
    id: 'cost-cross-zone',
    requirement: Requirement.COST_OPTIMIZATION,
    claim: 'In-cluster calls stay in their zone wherever that keeps every pod within its requests',
    subject: workload.subject,
    evidence: workload.services.map((s) => `Service/${s.metadata.name}`).join(', ') + ` (${workload.deployment.source})`,
  };
  if (workload.services.length === 0) return notApplicable(header, 'no Service selects the pods');
  const facts = zoneFacts(context, workload);
  const zones = facts.worst?.zones.length ?? 0;
  const spread = facts.spread;
  const range = facts.range;
  // The library's own rule, for the spread as written: same-zone routing only where the thinnest zone's pods stay within their requests.
  const decision = spread !== undefined && zones >= 2 && thinnestZone(range.min, zones, spread.maxSkew) > 0
    ? sameZoneTraffic(zones, range.min, range.max, cpuTarget(workload.horizontalPodAutoscaler), undefined, spread.maxSkew)
    : { value: false, reason: `the spread does not guarantee every one of ${zones} zones an endpoint at ${range.min} replicas` };
  const region = context.clusters[0]?.stack.region;
  const gb = (regionPrices(region) ?? PRICES['us-east-1']).crossZoneGbEachWay.usd;
  const share = zones >= 2 ? (zones - 1) / zones : 0;
  const saved = share * 2 * gb * 1024;
  const preferring = workload.services.filter((s) => SAME_ZONE_VALUES.includes(s.spec?.trafficDistribution));
  if (!decision.value && preferring.length === 0) {
    return notApplicable(header, `same-zone routing is not safe here, so calls cross zones (${Math.round(share * 100)}%, ${usd(saved)} per TB): ${decision.reason}`);
  }
  if (!decision.value) {
    const names = preferring.map((s) => `Service/${s.metadata.name}`).join(', ');
    return rowOf(header, [{
      ok: false,
      found: `${names} keep${preferring.length === 1 ? 's' : ''} calls in their zone, where that is not safe: ${decision.reason}`,
      fix: `remove trafficDistribution from ${names} (HaMicroservice sets it only where it is safe)`,
    }]);
  }
  return rowOf(header, [{
    ok: preferring.length === workload.services.length,
    found: `${preferring.length}/${workload.services.length} Service(s) set trafficDistribution PreferSameZone; without it ${Math.round(share * 100)}% of calls cross zones ` +
      `at ${usd(2 * gb)}/GB (${usd(gb)} each way): ${usd(saved)} saved per TB of this service's traffic`,
    fix: 'set spec.trafficDistribution: PreferSameZone on the Service (HaMicroservice does)',
  }]);
}

/** The budgets that stop consolidation at all times: no schedule, zero nodes, for every reason or for underutilised/empty nodes. */
function blockingBudgets(budgets: any[]): any[] {
  return budgets.filter((b) => b.schedule === undefined && /^0%?$/.test(String(b.nodes ?? '10%')) &&
    (b.reasons === undefined || b.reasons.includes('Underutilized') || b.reasons.includes('Empty')));
}

/**
 * Karpenter provisions only what pending pods need, prefers spot and
 * consolidates: read from the NodePools the platform or the manifests apply.
 * Unset fields read as Karpenter v1's defaults (consolidationPolicy
 * WhenEmptyOrUnderutilized, consolidateAfter 0s, one budget of 10% of the
 * nodes; karpenter.sh v1 NodePool CRD), and a budget of zero nodes without
 * a schedule blocks the reasons it lists (every reason when it lists none).
 */
export function karpenterCostRow(context: ReportContext): ReportRow[] {
  const pools = context.objects.filter((o) => o.object.kind === 'NodePool' && o.object.apiVersion === 'karpenter.sh/v1');
  const fits = context.workloads.map((workload) => ({
    workload,
    fits: zoneFacts(context, workload).placement.candidates.flatMap((c) => c.fits ?? []).filter((f) => f.zones.length > 0),
  }));
  return pools.map((pool) => {
    const { object, source, stack } = pool;
    const spec = object.spec ?? {};
    const disruption = spec.disruption ?? {};
    const policy = disruption.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
    const after = disruption.consolidateAfter ?? '0s';
    const blocking = blockingBudgets(disruption.budgets ?? []);
    const capacity = nodePoolCapacityTypes(spec.template?.spec?.requirements ?? []);
    return rowOf({
      id: 'cost-karpenter',
      requirement: Requirement.COST_OPTIMIZATION,
      claim: 'Karpenter launches only what pending pods need, spot first, and removes idle or underused nodes',
      subject: nodePoolSubject(object.metadata.name, stack),
      evidence: source,
    }, [
      {
        ok: policy === 'WhenEmptyOrUnderutilized' && after !== 'Never',
        found: `consolidationPolicy ${policy}${disruption.consolidationPolicy === undefined ? ' (default)' : ''} after ${after}` +
          (after === 'Never' ? ': consolidation is off' : ''),
        fix: 'set disruption.consolidationPolicy: WhenEmptyOrUnderutilized with a finite consolidateAfter',
      },
      {
        ok: blocking.length === 0,
        found: blocking.length === 0 ? `budgets ${JSON.stringify(disruption.budgets ?? [{ nodes: '10%' }])}`
          : `budget ${JSON.stringify(blocking[0])} has no schedule: it stops consolidation at all times`,
        fix: 'give the zero-node budget a schedule and duration (a change freeze), or allow at least one node',
      },
      {
        ok: capacity.includes('spot'),
        found: `capacity types ${capacity.join(', ') || 'none'}`,
        fix: 'allow karpenter.sh/capacity-type spot (with on-demand as fallback)',
      },
      {
        ok: spec.limits?.cpu !== undefined,
        found: `limits ${JSON.stringify(spec.limits ?? {})}`,
        fix: 'set limits.cpu so a runaway scale-up cannot launch unbounded capacity',
      },
      limitsCheck(pool, fits),
    ]);
  });
}

/** The CPU (millicores) and memory (MiB) one pod requests: its pod-level requests, else the sum over its containers and sidecars. */
function podRequests(podSpec: any): { cpu: number; memory: number } {
  const pod = podSpec.resources?.requests ?? {};
  const containers = runningContainers(podSpec);
  const sum = (read: (requests: any) => number) => containers.reduce((total, c) => total + read(c.resources?.requests ?? {}), 0);
  return {
    cpu: pod.cpu !== undefined ? quantityMillicores(pod.cpu) : sum((r) => quantityMillicores(r.cpu)),
    memory: pod.memory !== undefined ? quantityMebibytes(pod.memory) : sum((r) => quantityMebibytes(r.memory)),
  };
}

/** The extra pods a rolling update adds at a replica count (maxSurge, 25% by default, rounded up; none with Recreate). */
function surgePods(workload: Workload, replicas: number): number {
  const strategy = workload.deployment.object.spec?.strategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
  const surge = strategy.rollingUpdate?.maxSurge ?? '25%';
  const percent = typeof surge === 'string' && surge.endsWith('%') ? Number(surge.slice(0, -1)) : undefined;
  const pods = percent !== undefined ? Math.ceil((percent * replicas) / 100) : Number(surge);
  return Number.isFinite(pods) ? Math.max(0, pods) : 0;
}

/**
 * Whether the NodePool's limits hold what the pods it can run request at
 * their maxReplicas plus a rollout's surge: Karpenter launches nothing past
 * spec.limits (a dead node's NodeClaim counts until it is removed), so
 * scale-out, replacements and surge pods beyond them stay Pending. Other
 * NodePools that can run the same pods add their limits; DaemonSets and
 * system pods come on top of this demand.
 */
function limitsCheck(pool: SourcedObject, fits: Array<{ workload: Workload; fits: SourceFit[] }>): Check {
  const running = fits.filter((w) => w.fits.some((f) => f.source.pool === pool));
  if (running.length === 0) return { ok: true, found: 'no modelled Deployment runs on it, so its limits hold no demand the report knows' };
  const sharing = [...new Set(running.flatMap((w) => w.fits.map((f) => f.source.pool).filter((p): p is SourcedObject => p !== undefined)))];
  const groups = [...new Set(running.flatMap((w) => w.fits.filter((f) => f.source.pool === undefined).map((f) => f.source.name)))];
  const limits = sharing.map(poolLimits);
  const total = (key: 'cpu' | 'memory') => (limits.some((l) => l[key] === undefined) ? undefined : limits.reduce((sum, l) => sum + l[key]!, 0));
  const demands = running.map(({ workload }) => {
    const max = replicaRange(workload).max;
    const pods = max + surgePods(workload, max);
    const one = podRequests(workload.podSpec);
    return { workload, max, pods, cpu: one.cpu * pods, memory: one.memory * pods };
  });
  const cpu = demands.reduce((sum, d) => sum + d.cpu, 0);
  const memory = demands.reduce((sum, d) => sum + d.memory, 0);
  const cpuLimit = total('cpu');
  const memoryLimit = total('memory');
  const ok = (cpuLimit === undefined || cpuLimit >= cpu) && (memoryLimit === undefined || memoryLimit >= memory);
  const shown = (limit: number | undefined, unit: (v: number) => string) => (limit === undefined ? 'unlimited' : unit(limit));
  const vcpu = (m: number) => `${+(m / 1000).toFixed(2)} vCPU`;
  const gib = (mib: number) => `${+(mib / 1024).toFixed(2)} GiB`;
  const names = sharing.map((p) => `NodePool/${p.object.metadata.name}`).join(' + ');
  return {
    ok,
    found: `at maxReplicas plus rollout surge the pods it can run request ${vcpu(cpu)} and ${gib(memory)} ` +
      `(${demands.map((d) => `${d.workload.subject} ${d.pods} pods`).join(', ')}); limits of ${names}: ${shown(cpuLimit, vcpu)}, ${shown(memoryLimit, gib)}` +
      `${ok ? '' : ': scale-out, node replacements and surge pods past the limits stay Pending'}` +
      `${groups.length > 0 ? `; ${groups.join(', ')} can run some of them too (not counted)` : ''}; DaemonSets come on top`,
    fix: `raise limits of ${names} to at least ${vcpu(cpu)} and ${gib(memory)} plus the DaemonSets' share`,
  };
}

/** How the report names a NodePool: cluster-scoped, so by the stack that applies it (if any) rather than a namespace. */
export function nodePoolSubject(name: string, stack: string | undefined): string {
  return `${stack ? `${stack}/` : ''}NodePool/${name}`;
}
