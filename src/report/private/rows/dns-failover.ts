import { dnsDetectionSeconds, regionalHostName } from '../../../policy/dns-failover';
import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { KubeObject, SourcedObject } from '../inputs';
import { ClusterStack, helmRelease, referenced, resourcesOfType } from '../platform';
import { Check, rowOf } from '../row-builder';
import { subjectOf } from '../workloads';
import { isAlbIngress } from './alb';

const EXTERNAL_DNS = 'external-dns.alpha.kubernetes.io';

/** A failover record of a public name in one region's template, with the health check Route 53 judges it by. */
interface FailoverHalf {
  readonly cluster: ClusterStack;
  readonly record?: any;
  /** The health check the record names: the endpoint's own, or a calculated one over it. */
  readonly judgedBy?: any;
  /** The endpoint's health check: the record's, or the child of its calculated one defined in the template. */
  readonly healthCheck?: any;
}

/** The RecordSet of a name and failover role in a template, and the HealthCheck it refers to. */
function failoverHalf(cluster: ClusterStack, host: string, role: 'PRIMARY' | 'SECONDARY'): FailoverHalf {
  const record = resourcesOfType(cluster.stack, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties ?? {})
    .find((p) => String(p.Name).replace(/\.$/, '') === host && p.Failover === role);
  // Behind a calculated check, the endpoint check is the child defined in the template.
  const configOf = (ref: unknown) => referenced(cluster.stack, ref)?.[1]?.Properties?.HealthCheckConfig;
  const judgedBy = record && configOf(record.HealthCheckId);
  const healthCheck = judgedBy?.Type === 'CALCULATED' ? (judgedBy.ChildHealthChecks ?? []).map(configOf).find((c: any) => c) : judgedBy;
  return { cluster, record, judgedBy, healthCheck };
}

/** Every Route 53 health-check step of a Region switch plan of the input, with the record name it switches. */
function planDnsSteps(clusters: ClusterStack[]): Array<{ plan: string; record: string }> {
  const flatten = (steps: any[]): any[] =>
    steps.flatMap((step) => [step, ...flatten(step?.ExecutionBlockConfiguration?.ParallelConfig?.Steps ?? [])]);
  return clusters.flatMap((cluster) => resourcesOfType(cluster.stack, 'AWS::ARCRegionSwitch::Plan').flatMap(([, plan]) =>
    flatten((plan.Properties?.Workflows ?? []).flatMap((w: any) => w.Steps ?? []))
      .map((step) => step?.ExecutionBlockConfiguration?.Route53HealthCheckConfig?.RecordName)
      .filter((record): record is string => typeof record === 'string')
      .map((record) => ({ plan: String(plan.Properties?.Name), record: record.replace(/\.$/, '') }))));
}

/**
 * Whether the record's health check also follows the plan's: a calculated
 * check that needs every child healthy, one of them a health check outside
 * the template (Region switch creates its own after the plan exists).
 */
function planGated(half: FailoverHalf): boolean {
  const calculated = half.judgedBy;
  if (calculated?.Type !== 'CALCULATED') return false;
  const children: any[] = calculated.ChildHealthChecks ?? [];
  return children.some((child) => typeof child === 'string') && Number(calculated.HealthThreshold) === children.length;
}

/** The path prefixes an Ingress routes for a host. */
function routedPrefixes(ingress: KubeObject, host: string): string[] {
  return (ingress.spec?.rules ?? []).filter((rule: any) => rule.host === host)
    .flatMap((rule: any) => (rule.http?.paths ?? []).map((p: any) => String(p.path ?? '/')));
}

function covers(prefix: string, path: string): boolean {
  const base = prefix.replace(/\/$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/**
 * Checks one half of the pair: the record serves the region's own name for
 * the host, its health check requests that name over HTTP(S) on a path
 * `routes` (when known) routes to the service, and what detection costs.
 */
function halfChecks(half: FailoverHalf, host: string, role: string, plans: string[], routes?: string[]): Check[] {
  const region = half.cluster.stack.region ?? '(unknown region)';
  const regional = regionalHostName(region, host);
  const where = `${half.cluster.stack.name} (${region})`;
  if (!half.record) {
    return [{ ok: false, found: `${where} has no ${role} failover record of ${host}`, fix: `list ${host} in disasterRecovery.dnsFailover.records of both regions' platforms` }];
  }
  const target = (half.record.ResourceRecords ?? [])[0];
  const check = half.healthCheck;
  const checks: Check[] = [{
    ok: target === regional && half.record.SetIdentifier === region,
    found: `${where} ${role} ${host} -> ${target} (set ${half.record.SetIdentifier})`,
    fix: `point the ${role} record of ${host} at ${regional}, the name ${region}'s ExternalDNS publishes`,
  }];
  if (!check) {
    return [...checks, { ok: false, found: `${where}'s ${role} record of ${host} has no health check: Route 53 would never leave it`, fix: `give the ${role} record of ${host} a health check of ${regional}` }];
  }
  const path = String(check.ResourcePath ?? '/');
  const interval = Number(check.RequestInterval ?? 30);
  const threshold = Number(check.FailureThreshold ?? 3);
  const ttl = Number(half.record.TTL ?? 0);
  checks.push({
    ok: check.FullyQualifiedDomainName === regional && ['HTTPS', 'HTTP', 'HTTPS_STR_MATCH', 'HTTP_STR_MATCH'].includes(check.Type),
    found: `its health check ${check.Type} ${check.FullyQualifiedDomainName}${path}: ${interval} s x ${threshold} failures + TTL ${ttl} s = ` +
      `${dnsDetectionSeconds(interval, threshold, ttl)} s before clients move`,
    fix: `health-check ${regional} over HTTP(S), the name the ${region} load balancer answers for ${host}`,
  });
  if (plans.length > 0) {
    const gated = planGated(half);
    checks.push({
      ok: gated,
      found: gated ? `and by Region switch plan ${plans.join(', ')}'s health check (a calculated check of both)`
        : `not by Region switch plan ${plans.join(', ')}'s own health check: its DNS step moves no traffic, and a ${region} that comes back takes the traffic back at once`,
      fix: `after the standby's first deployment, set disasterRecovery.dnsFailover.records[].regionSwitchHealthCheckIds for ${host} from the failover runbook's step 0 ` +
        'and redeploy (until then, accept this row in the stack)',
    });
  }
  if (routes) {
    checks.push({
      ok: routes.some((prefix) => covers(prefix, path)),
      found: routes.length === 0 ? `the Ingress routes nothing for ${regional}: the health check gets the ALB's 404`
        : `the Ingress routes ${regional}${routes.join(', ')} to the service, ${routes.some((p) => covers(p, path)) ? 'covering' : 'not covering'} ${path}`,
      fix: `route ${regional} to the service (HaMicroservice expose.dnsFailover does) and health-check a path it serves`,
    });
  }
  return checks;
}

/**
 * Every internet-facing ALB Ingress of a platform with disaster recovery
 * fails over by DNS, per service: its region's ExternalDNS publishes the
 * region's own name for its host, and only that (the public name belongs to
 * the failover pair); the template of its region holds its half of the pair
 * (PRIMARY on the primary, SECONDARY on the standby), a CNAME to that name
 * with a health check of it on a path the Ingress routes to the service;
 * the other region's template holds the other half. The detection time
 * (interval x failures + TTL) is shown for the RTO.
 */
export function dnsFailoverRow(context: ReportContext, sourced: SourcedObject): ReportRow {
  const ingress = sourced.object;
  const header = {
    id: 'dr-dns-failover',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'When this region or this service fails, Route 53 sends its clients to the other region',
    subject: subjectOf(ingress),
    evidence: `Ingress/${ingress.metadata.name} (${sourced.source}), the Route 53 records and health checks of the platform templates`,
  };
  const paired = context.clusters.filter((c) => c.recovery !== undefined && c.stack.region !== undefined);
  const hostname: string | undefined = ingress.metadata.annotations?.[`${EXTERNAL_DNS}/hostname`];
  const hosts: string[] = (ingress.spec?.rules ?? []).map((rule: any) => rule.host).filter((h: unknown): h is string => typeof h === 'string');
  // The cluster and rule host whose regional name the Ingress publishes.
  const [own, host] = paired.flatMap((c) => hosts.filter((h) => hostname === regionalHostName(c.stack.region!, h))
    .map((h) => [c, h] as const))[0] ?? [];
  if (!own || !host) {
    return rowOf(header, [{
      ok: false,
      found: hostname === undefined ? `the Ingress publishes no regional name (${EXTERNAL_DNS}/hostname): its clients have no other region`
        : `${EXTERNAL_DNS}/hostname ${hostname} is not "<region>.<host>" for a host of its rules and a region of the recovery pair`,
      fix: 'set HaMicroservice expose.dnsFailover: { region } and list the host in disasterRecovery.dnsFailover.records',
    }]);
  }
  const role = own.recovery!.role === 'primary' ? 'PRIMARY' : 'SECONDARY';
  const otherRole = role === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY';
  const other = paired.find((c) => c !== own && c.recovery!.role !== own.recovery!.role);
  const plans = [...new Set(planDnsSteps(context.clusters).filter((step) => step.record === host).map((step) => step.plan))];
  const externalDns = helmRelease(own, 'external-dns');
  const args: string[] = externalDns?.values?.extraArgs ?? [];
  const annotationOnly = ingress.metadata.annotations?.[`${EXTERNAL_DNS}/ingress-hostname-source`] === 'annotation-only' ||
    args.includes('--ignore-ingress-rules-spec');
  return rowOf(header, [
    {
      ok: externalDns !== undefined,
      found: externalDns ? `${own.stack.name} runs ExternalDNS, which publishes ${hostname}` : `${own.stack.name} runs no ExternalDNS: nothing publishes ${hostname}`,
      fix: 'set disasterRecovery.dnsFailover on the platform of both regions',
    },
    {
      ok: annotationOnly,
      found: annotationOnly ? `ExternalDNS publishes the regional name only, never ${host} from the rules`
        : `ExternalDNS would also publish ${host} from the Ingress rules, colliding with the failover records`,
      fix: `annotate the Ingress ${EXTERNAL_DNS}/ingress-hostname-source: annotation-only (HaMicroservice does)`,
    },
    ...halfChecks(failoverHalf(own, host, role), host, role, plans, routedPrefixes(ingress, hostname!)),
    ...(other ? halfChecks(failoverHalf(other, host, otherRole), host, otherRole, plans)
      : [{
        ok: false,
        found: `no ${otherRole === 'PRIMARY' ? 'primary' : 'standby'} platform in the input holds the other half of ${host}'s pair`,
        fix: 'synthesize the platform of both regions in the same app',
      }]),
  ]);
}

/** The internet-facing ALB Ingresses, judged when a platform of the input records recovery targets. */
export function failoverIngresses(context: ReportContext): SourcedObject[] {
  if (!context.clusters.some((c) => c.recovery !== undefined)) return [];
  return context.objects.filter((o) => o.stack === undefined && o.object.kind === 'Ingress' && isAlbIngress(context, o.object) &&
    o.object.metadata.annotations?.['alb.ingress.kubernetes.io/scheme'] === 'internet-facing');
}
