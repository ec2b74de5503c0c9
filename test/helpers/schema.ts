import { AppProject, Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ClusterSecretStore, ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { EC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1';
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { crdModel } from './crd-schema';

/** A synthesized Kubernetes object, as cdk8s writes it. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; [key: string]: any }; [key: string]: any };

type Model = new (data: any) => { validate(): void };

/** Every kind the library emits, mapped to its official schema model. */
const MODELS: Record<string, Model> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Namespace': Namespace,
  'storage.k8s.io/v1/StorageClass': StorageClass,
  'karpenter.sh/v1/NodePool': NodePool,
  'karpenter.k8s.aws/v1/EC2NodeClass': EC2NodeClass,
  'argoproj.io/v1alpha1/AppProject': AppProject,
  'argoproj.io/v1alpha1/Application': Application,
  'argoproj.io/v1alpha1/ApplicationSet': ApplicationSet,
  'external-secrets.io/v1/ExternalSecret': ExternalSecret,
  'external-secrets.io/v1/ClusterSecretStore': ClusterSecretStore,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'networking.istio.io/v1/VirtualService': VirtualService,
  'networking.istio.io/v1/DestinationRule': DestinationRule,
  'security.istio.io/v1/PeerAuthentication': PeerAuthentication,
  'security.istio.io/v1/AuthorizationPolicy': AuthorizationPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'gateway.networking.k8s.io/v1/Gateway': Gateway,
  // No kubernetes-models package exists for these CRDs: their published schemas are vendored in test/fixtures/crds.
  'velero.io/v1/Schedule': crdModel('velero.io_v1_Schedule.json'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass': crdModel('snapshot.storage.k8s.io_v1_VolumeSnapshotClass.json'),
};

/**
 * Validates each manifest against the official Kubernetes schema of its kind.
 * A kind without a registered model fails: nothing we emit goes unchecked.
 *
 * The kubernetes-models schemas accept unknown fields. Core objects are built
 * with the typed cdk8s `k8s` imports, which drop any field the Kubernetes API
 * does not define, and the tests compare emitted objects exactly: a misspelt
 * field shows up there as a missing one. CRD objects (ApiObject) have no such
 * filter, so their tests compare the whole spec exactly.
 */
export function validateManifests(manifests: Manifest[]): void {
  for (const manifest of manifests) {
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    const model = MODELS[key];
    if (!model) {
      throw new Error(`no schema registered for ${key}: add its kubernetes-models class to test/helpers/schema.ts`);
    }
    try {
      new model(manifest).validate();
    } catch (error) {
      throw new Error(`${key} "${manifest.metadata?.name}" does not match the Kubernetes schema: ${(error as Error).message}`);
    }
  }
}
