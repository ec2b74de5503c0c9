import { ReportRow, Requirement } from '../../report-row';
import { ReportContext } from '../context';
import { ClusterStack, resourcesOfType } from '../platform';
import { Check, notApplicable, rowOf } from '../row-builder';
import { podTemplates } from '../workloads';

/**
 * Where AWS describes ECR replication: it lists no time within which an image
 * reaches its destination (checked 2026-12-03), so no age is claimed for it.
 */
const ECR_REPLICATION_DOCS = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html';

/** The repositories of this region's private registry that the stack creates or the workloads pull from. */
function regionRepositories(context: ReportContext, cluster: ClusterStack, region: string): string[] {
  const created = resourcesOfType(cluster.stack, 'AWS::ECR::Repository').map(([, repository]) => repository.Properties?.RepositoryName)
    .filter((name): name is string => typeof name === 'string');
  const registry = new RegExp(`^[^/]+\\.dkr\\.ecr\\.${region.replace(/-/g, '\\-')}\\.amazonaws\\.com/([^:@]+)`);
  const pulled = podTemplates(context.objects)
    .flatMap((template) => [...(template.spec.containers ?? []), ...(template.spec.initContainers ?? [])])
    .map((container: any) => registry.exec(String(container.image ?? ''))?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set([...created, ...pulled])].sort();
}

/** The regions other than its own that the registry's replication rules copy a repository to. */
function replicatedTo(cluster: ClusterStack, repository: string, region: string): string[] {
  const rules: any[] = resourcesOfType(cluster.stack, 'AWS::ECR::ReplicationConfiguration')
    .flatMap(([, configuration]) => configuration.Properties?.ReplicationConfiguration?.Rules ?? []);
  return [...new Set(rules
    .filter((rule) => (rule.RepositoryFilters ?? []).length === 0 ||
      rule.RepositoryFilters.some((filter: any) => filter.FilterType === 'PREFIX_MATCH' && repository.startsWith(filter.Filter)))
    .flatMap((rule) => (rule.Destinations ?? []).map((destination: any) => destination.Region))
    .filter((destination: unknown) => typeof destination === 'string' && destination !== region))].sort();
}

/**
 * Every image the services run from the primary's ECR registry is copied to
 * the recovery region (the standby's, when the input has one in another region):
 * each repository the stack creates or a workload pulls from matches a
 * replication rule to it. How old an image there may be is not claimed: AWS
 * gives ECR replication no time bound, so an image pushed just before the
 * region is lost may be missing.
 */
export function imagesReplicatedRow(context: ReportContext, cluster: ClusterStack): ReportRow {
  const header = {
    id: 'dr-images-replicated',
    requirement: Requirement.DISASTER_RECOVERY,
    claim: 'Every image the services run from this region\'s ECR registry is replicated to the recovery region',
    subject: cluster.stack.name,
    evidence: `ECR repositories and replication configuration (${cluster.stack.templatePath}), the workloads' images`,
  };
  const region = cluster.stack.region;
  if (!cluster.recovery) return notApplicable(header, `${cluster.stack.name} records no recovery targets (no disasterRecovery)`);
  if (cluster.recovery.role === 'standby') return notApplicable(header, 'a standby pulls the primary\'s replicas; the primary\'s row holds the claim');
  if (!region) return notApplicable(header, `${cluster.stack.name} has no region in its environment: its registry is not known`);
  const repositories = regionRepositories(context, cluster, region);
  if (repositories.length === 0) return notApplicable(header, `no repository of ${region}'s ECR registry is created or pulled from`);
  const standbys = [...new Set(context.clusters.filter((c) => c.recovery?.role === 'standby' && c.stack.region && c.stack.region !== region)
    .map((c) => c.stack.region!))];
  const recovery = standbys.length > 0 ? standbys.join(', ') : 'the recovery region';
  const checks: Check[] = repositories.map((repository) => {
    const destinations = replicatedTo(cluster, repository, region);
    return {
      ok: destinations.length > 0 && standbys.every((standby) => destinations.includes(standby)),
      found: `${repository} replicated to ${destinations.join(', ') || 'no other region'}`,
      fix: `replicate ${repository} to ${recovery}: an AWS::ECR::ReplicationConfiguration rule with that destination whose PREFIX_MATCH filter matches it`,
    };
  });
  checks.push({
    ok: true,
    found: `age not claimed: AWS documents no time within which ECR replicates an image (${ECR_REPLICATION_DOCS}); ` +
      'one pushed just before the region is lost may be missing there',
  });
  return rowOf(header, checks);
}
