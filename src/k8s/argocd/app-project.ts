import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from './sync';
import { invalid } from '../../policy/errors';
import { requireRepoUrl } from '../../policy/git-source';
import { requireNamespace, requireObjectName } from '../../policy/names';

/** Properties of an {@link AppProject}. */
export interface AppProjectProps {
  /** The project's name. */
  readonly name: string;
  /**
   * What the project is for.
   * @default - no description
   */
  readonly description?: string;
  /** The Git repositories its Applications may deploy from (nothing else). */
  readonly sourceRepos: string[];
  /**
   * The namespaces of the in-cluster cluster its Applications may deploy to; "*" for all,
   * "!name" to exclude one (e.g. "!argocd", so the project cannot rewrite ArgoCD itself).
   */
  readonly destinationNamespaces: string[];
  /**
   * Allow every cluster-scoped resource (NodePools, CRDs, ClusterSecretStores...), as a platform
   * project needs. Without it only Namespaces are allowed, which `CreateNamespace=true` needs.
   * @default false
   */
  readonly allowClusterResources?: boolean;
  /**
   * Limit namespaced resources to these kinds (e.g. only ArgoCD's own objects for a bootstrap project).
   * @default - every namespaced kind
   */
  readonly namespacedKinds?: ProjectResourceKind[];
}

/** A Kubernetes kind, by API group (empty for the core group) and kind. */
export interface ProjectResourceKind {
  /** The API group, "" for the core group. */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
}

/**
 * An ArgoCD `AppProject` that limits where Applications may come from (the
 * listed repositories only) and where they may go (the in-cluster cluster,
 * the listed namespaces, cluster-scoped resources only when allowed, and
 * optionally only some namespaced kinds).
 */
export class AppProject extends Construct {
  /** The project's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name);
    if (props.sourceRepos.length === 0) invalid('sourceRepos', props.sourceRepos, 'must list at least one repository', 'list the GitOps repository URL');
    props.sourceRepos.forEach((url, i) => requireRepoUrl(`sourceRepos[${i}]`, url));
    if (props.destinationNamespaces.length === 0) {
      invalid('destinationNamespaces', props.destinationNamespaces, 'must list at least one namespace', 'list the namespaces, or "*"');
    }
    props.destinationNamespaces.forEach((ns, i) => ns === '*' || requireNamespace(`destinationNamespaces[${i}]`, ns.replace(/^!/, '')));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: this.name, namespace: ARGOCD_NAMESPACE },
      spec: {
        ...(props.description ? { description: props.description } : {}),
        sourceRepos: [...props.sourceRepos],
        destinations: props.destinationNamespaces.map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
        // Namespaces at least: every Application syncs with CreateNamespace=true.
        clusterResourceWhitelist: props.allowClusterResources ? [{ group: '*', kind: '*' }] : [{ group: '', kind: 'Namespace' }],
        ...(props.namespacedKinds ? { namespaceResourceWhitelist: props.namespacedKinds.map((k) => ({ group: k.group, kind: k.kind })) } : {}),
      },
    });
  }
}
