import { SourcedObject, StackInput, joinedJson, joinedString, templateObjects } from './inputs';
import { RecordedRecovery } from './template-acceptance';
import { TEMPLATE_METADATA_KEY } from '../report-acceptance';

/** A Helm release the kubectl provider installs, with its values parsed. */
export interface HelmRelease {
  readonly logicalId: string;
  readonly chart: string;
  readonly version?: string;
  readonly namespace: string;
  readonly values: any;
}

/** An EKS managed add-on the stack installs, with its configuration values parsed. */
export interface ManagedAddon {
  readonly logicalId: string;
  readonly name: string;
  readonly version?: string;
  readonly values: any;
}

/** What a stack with an EKS cluster holds, as the report needs it. */
export interface ClusterStack {
  readonly stack: StackInput;
  readonly subject: string;
  readonly clusterLogicalId: string;
  readonly clusterName?: string;
  /** Availability Zones of the cluster's subnets (literal zone names). */
  readonly zones: string[];
  readonly zonalShift: boolean;
  readonly helmReleases: HelmRelease[];
  readonly managedAddons: ManagedAddon[];
  /** Kubernetes objects the template applies (NodePools, mesh policies...). */
  readonly objects: SourcedObject[];
  /** The recovery targets and side the platform recorded, with disaster recovery. */
  readonly recovery?: RecordedRecovery;
  /** Rows the stack accepts: row id to reason. */
  readonly acceptances: { readonly [rowId: string]: string };
}

const HELM_RESOURCE = 'Custom::AWSCDK-EKS-HelmChart';

/** Resources of a type in a template, as [logical ID, resource]. */
export function resourcesOfType(stack: StackInput, type: string): Array<[string, any]> {
  return Object.entries<any>(stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The resource a `Ref` (or Fn::GetAtt) points at, if it is in the template. */
export function referenced(stack: StackInput, value: any): [string, any] | undefined {
  const id = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
  const resource = typeof id === 'string' ? stack.template.Resources?.[id] : undefined;
  return resource ? [id, resource] : undefined;
}

/** The stacks of the input that run an EKS cluster. */
export function clusterStacks(stacks: StackInput[]): ClusterStack[] {
  return stacks.flatMap((stack) => resourcesOfType(stack, 'AWS::EKS::Cluster').map(([logicalId, cluster]) => {
    const properties = cluster.Properties ?? {};
    // Subnets imported or split from a parameter (Fn::Split, Ref) are known only at deploy time: their zones are then unknown.
    const subnetIds: unknown = properties.ResourcesVpcConfig?.SubnetIds;
    const zones = [...new Set((Array.isArray(subnetIds) ? subnetIds : [])
      .map((id) => referenced(stack, id)?.[1]?.Properties?.AvailabilityZone)
      .filter((zone): zone is string => typeof zone === 'string'))].sort();
    const helmReleases = resourcesOfType(stack, HELM_RESOURCE).map(([id, resource]) => ({
      logicalId: id,
      chart: joinedString(resource.Properties?.Chart) ?? '',
      version: joinedString(resource.Properties?.Version),
      namespace: joinedString(resource.Properties?.Namespace) ?? 'default',
      values: joinedJson(resource.Properties?.Values, `${stack.templatePath} resource ${id} Values`) ?? {},
    }));
    return {
      stack,
      subject: `${stack.name}/${logicalId}`,
      clusterLogicalId: logicalId,
      clusterName: typeof properties.Name === 'string' ? properties.Name : undefined,
      zones,
      zonalShift: properties.ZonalShiftConfig?.Enabled === true,
      helmReleases,
      managedAddons: resourcesOfType(stack, 'AWS::EKS::Addon').map(([id, resource]) => ({
        logicalId: id,
        name: joinedString(resource.Properties?.AddonName) ?? '',
        version: joinedString(resource.Properties?.AddonVersion),
        values: joinedJson(resource.Properties?.ConfigurationValues, `${stack.templatePath} resource ${id} ConfigurationValues`) ?? {},
      })),
      objects: templateObjects(stack),
      acceptances: stack.template.Metadata?.[TEMPLATE_METADATA_KEY]?.accept ?? {},
      recovery: stack.template.Metadata?.[TEMPLATE_METADATA_KEY]?.recovery,
    };
  }));
}

/** The release of a chart, if the stack installs it. */
export function helmRelease(cluster: ClusterStack, chart: string): HelmRelease | undefined {
  return cluster.helmReleases.find((release) => release.chart === chart);
}

/** Every namespace a cluster's stack installs into: its Helm releases, the objects it applies and its Pod Identity associations. */
export function installedNamespaces(cluster: ClusterStack): string[] {
  return [...new Set([
    ...cluster.helmReleases.map((release) => release.namespace),
    ...cluster.objects.map((o) => o.object.metadata.namespace).filter((ns): ns is string => typeof ns === 'string'),
    ...resourcesOfType(cluster.stack, 'AWS::EKS::PodIdentityAssociation').map(([, a]) => joinedString(a.Properties?.Namespace))
      .filter((ns): ns is string => ns !== undefined),
  ])].sort();
}
