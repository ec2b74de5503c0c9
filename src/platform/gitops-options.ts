/** Where ArgoCD pulls the cluster's desired state from. */
export interface GitOpsOptions {
  /** The Git repository ArgoCD watches (HTTPS or SSH URL, no credentials in it). */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit.
   * @default "main"
   */
  readonly revision?: string;
  /**
   * The directory of ArgoCD Applications the root Application (app-of-apps) syncs.
   * @default "gitops/apps"
   */
  readonly path?: string;
  /**
   * Name of an AWS Secrets Manager secret (under the platform's secret prefix) holding the
   * repository credentials as ArgoCD expects them: `url`, `type` and `username`/`password` or
   * `sshPrivateKey`. An ExternalSecret delivers it; no credential enters templates or Git.
   * @default - a public repository, no credentials
   */
  readonly repositoryCredentialsSecret?: string;
  /**
   * Environment name, published on the ArgoCD cluster secret for ApplicationSets to select on.
   * @default "production"
   */
  readonly environment?: string;
}
