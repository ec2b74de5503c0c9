import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE, SERVICES_SYNC_WAVE, SYNC_WAVE_ANNOTATION, automatedSyncPolicy } from './sync';
import { requireRepoPath, requireRepoUrl, requireRevision } from '../../policy/git-source';
import { requireObjectName } from '../../policy/names';
import { SERVICES_SECRET_STORE_LABEL } from '../external-secrets/secrets-manager-store';
import { SERVICE_NAMESPACE_LABELS } from '../service-namespace';

/** Properties of a {@link ServiceApplicationSet}. */
export interface ServiceApplicationSetProps {
  /** The ApplicationSet's name. */
  readonly name: string;
  /** The AppProject the generated Applications belong to. */
  readonly project: string;
  /** The Git repository. */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit.
   * @default "main"
   */
  readonly revision?: string;
  /** The directory whose sub-directories are services, one Application (and namespace) each, e.g. "gitops/services". */
  readonly servicesPath: string;
}

/**
 * An ArgoCD `ApplicationSet` with a Git directory generator: every directory
 * under `servicesPath` becomes an Application named after it, deployed to the
 * namespace of the same name with the automated sync policy. Adding a service
 * is adding a directory.
 */
export class ServiceApplicationSet extends Construct {
  /** The ApplicationSet's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceApplicationSetProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name);
    const repoURL = requireRepoUrl('repoUrl', props.repoUrl);
    const revision = requireRevision('revision', props.revision ?? 'main');
    const path = requireRepoPath('servicesPath', props.servicesPath);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: this.name, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE_ANNOTATION]: String(SERVICES_SYNC_WAVE) } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ git: { repoURL, revision, directories: [{ path: `${path}/*` }] } }],
        template: {
          metadata: { name: '{{.path.basename}}' },
          spec: {
            project: requireObjectName('project', props.project),
            source: { repoURL, targetRevision: revision, path: '{{.path.path}}' },
            destination: { server: 'https://kubernetes.default.svc', namespace: '{{.path.basename}}' },
            syncPolicy: {
              ...automatedSyncPolicy(),
              // Namespaces ArgoCD creates for services opt in to the services' secret store, and carry what every
              // service namespace carries (ALB pod readiness gates).
              managedNamespaceMetadata: { labels: { [SERVICES_SECRET_STORE_LABEL]: 'enabled', ...SERVICE_NAMESPACE_LABELS } },
            },
          },
        },
      },
    });
  }
}
