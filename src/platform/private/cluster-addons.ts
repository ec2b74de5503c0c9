import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFindings } from './nag';
import { podIdentityRole } from './pod-identity';
import { softZoneSpread } from '../../policy/spread';
import { EKS_ADDON_VERSIONS, EksAddonName } from '../../versions';

/** The add-ons, in the two waves they must come in. */
export interface ClusterAddons {
  /** Networking and credentials: nodes cannot become Ready without them. */
  readonly beforeNodes: eks.Addon[];
  /** Everything that runs as pods on nodes. */
  readonly afterNodes: eks.Addon[];
  /** The EBS CSI driver, configured further when backups tag its volumes. */
  readonly ebsCsiDriver: eks.Addon;
}

/** Add-on versions to pin; an add-on missing here gets EKS's default for the cluster's Kubernetes version. */
type AddonVersions = Partial<Record<EksAddonName, string>>;

/** A managed add-on at its pinned version, taking over whatever a previous install left. */
export function addon(
  scope: Construct, cluster: eks.Cluster, versions: AddonVersions, name: EksAddonName, configurationValues?: Record<string, any>,
): eks.Addon {
  const resource = new eks.Addon(scope, name, {
    cluster,
    addonName: name,
    addonVersion: versions[name],
    preserveOnDelete: false,
    configurationValues,
  });
  (resource.node.defaultChild as CfnAddon).resolveConflicts = 'OVERWRITE';
  return resource;
}

/**
 * The Pod Identity agent is the cluster's own lazily created add-on: aws-eks-v2
 * creates it whenever a Pod Identity service account is added, so a second
 * one of ours would make CreateAddon fail. It is pinned through its L1.
 */
function podIdentityAgent(cluster: eks.Cluster, versions: AddonVersions): eks.Addon {
  const agent = cluster.eksPodIdentityAgent as eks.Addon;
  const resource = agent.node.defaultChild as CfnAddon;
  resource.addonVersion = versions['eks-pod-identity-agent'];
  resource.resolveConflicts = 'OVERWRITE';
  resource.preserveOnDelete = false;
  return agent;
}

/** The service account of the EBS CSI driver's controller, which the add-on creates. */
const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';

/**
 * Installs the EKS managed add-ons the platform relies on, pinned (src/versions.ts):
 * vpc-cni with network-policy enforcement (HaMicroservice's NetworkPolicies),
 * kube-proxy and the Pod Identity agent before the nodes; CoreDNS spread over
 * zones, the EBS CSI driver (its own Pod Identity role), metrics-server (the
 * HPA's metrics), the snapshot controller and the node monitoring agent (node
 * auto repair's signals) once nodes exist.
 */
export function installAddons(scope: Construct, cluster: eks.Cluster, coreDnsReplicas: number, defaultKubernetesVersion: boolean): ClusterAddons {
  // The pins were checked for the default Kubernetes version only. On another version EKS picks each add-on's
  // default for that version, compatible by definition, where a pin for another version would fail CreateAddon.
  const versions: AddonVersions = defaultKubernetesVersion ? EKS_ADDON_VERSIONS : {};
  const beforeNodes = [
    addon(scope, cluster, versions, 'vpc-cni', { enableNetworkPolicy: 'true' }),
    addon(scope, cluster, versions, 'kube-proxy'),
    podIdentityAgent(cluster, versions),
  ];

  // The add-on runs its controller as ebs-csi-controller-sa in kube-system.
  const ebsCsiRole = podIdentityRole(scope, 'EbsCsiDriverRole', { cluster, namespace: 'kube-system', serviceAccount: EBS_CSI_SERVICE_ACCOUNT },
    [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy')]);
  acknowledgeNag(ebsCsiRole, managedPolicyFindings(['service-role/AmazonEBSCSIDriverPolicy'],
    'The EBS CSI driver\'s AWS managed policy, which EKS documents for the add-on and AWS keeps current with the driver.'));
  const ebsCsi = addon(scope, cluster, versions, 'aws-ebs-csi-driver');
  (ebsCsi.node.defaultChild as CfnAddon).podIdentityAssociations = [{ roleArn: ebsCsiRole.roleArn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }];

  const afterNodes = [
    addon(scope, cluster, versions, 'coredns', {
      replicaCount: coreDnsReplicas,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      // Soft on purpose: CoreDNS must never wait Pending for a zone's system node.
      topologySpreadConstraints: softZoneSpread({ 'k8s-app': 'kube-dns' }),
    }),
    ebsCsi,
    addon(scope, cluster, versions, 'metrics-server'),
    addon(scope, cluster, versions, 'snapshot-controller'),
    addon(scope, cluster, versions, 'eks-node-monitoring-agent'),
  ];
  return { beforeNodes, afterNodes, ebsCsiDriver: ebsCsi };
}
