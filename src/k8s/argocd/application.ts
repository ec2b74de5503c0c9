import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE, SYNC_WAVE_ANNOTATION, automatedSyncPolicy } from './sync';
import { requireIntegerInRange } from '../../policy/errors';
import { requireRepoPath, requireRepoUrl, requireRevision } from '../../policy/git-source';
import { requireNamespace, requireObjectName } from '../../policy/names';

/** Properties of an {@link Application}. */
export interface ApplicationProps {
  /** The Application's name. */
  readonly name: string;
  /** The AppProject it belongs to. */
  readonly project: string;
  /** The Git repository. */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit.
   * @default "main"
   */
  readonly revision?: string;
  /** The directory of manifests in the repository. */
  readonly path: string;
  /**
   * Apply every sub-directory of `path` too (an app-of-apps directory of Applications).
   * @default false
   */
  readonly recurse?: boolean;
  /**
   * The namespace resources without one go to.
   * @default "default"
   */
  readonly destinationNamespace?: string;
  /**
   * Sync wave of the Application itself: a parent app-of-apps syncs lower waves first and waits
   * for them to be healthy (with the Application health check the platform configures in ArgoCD).
   * @default 0
   */
  readonly syncWave?: number;
  /**
   * Delete what the Application deployed when the Application is deleted (the resources
   * finalizer). Off for an Application owned by CloudFormation, whose delete must not wait
   * for a cascade through every child.
   * @default true
   */
  readonly cascadeDelete?: boolean;
  /**
   * Sync automatically (with prune and self-heal). Off, the Application waits for an operator's sync,
   * as the root Application of a pilot-light standby does until failover.
   * @default true
   */
  readonly autoSync?: boolean;
}

/**
 * An ArgoCD `Application` that pulls a directory of manifests from Git and
 * keeps the in-cluster cluster equal to it: automated sync, prune, self-heal,
 * retries with backoff.
 */
export class Application extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The underlying API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    this.name = requireObjectName('name', props.name);
    const wave = requireIntegerInRange('syncWave', props.syncWave ?? 0, -100, 100, 'waves order syncs; keep them small');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: this.name,
        namespace: ARGOCD_NAMESPACE,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) },
        // Deleting the Application deletes what it deployed (in the right order), instead of orphaning it.
        ...(props.cascadeDelete === false ? {} : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
      },
      spec: {
        project: requireObjectName('project', props.project),
        source: {
          repoURL: requireRepoUrl('repoUrl', props.repoUrl),
          targetRevision: requireRevision('revision', props.revision ?? 'main'),
          path: requireRepoPath('path', props.path),
          ...(props.recurse ? { directory: { recurse: true } } : {}),
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: requireNamespace('destinationNamespace', props.destinationNamespace ?? 'default'),
        },
        syncPolicy: automatedSyncPolicy(props.autoSync ?? true),
      },
    });
  }
}
