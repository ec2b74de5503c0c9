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
   * Name of an AWS Secrets Manager secret under `<secretNamePrefix>argocd/` holding the repository
   * credentials as JSON: `username` and `password` (a token), or `sshPrivateKey`. An ExternalSecret
   * in the argocd namespace delivers it with the repository URL; no credential enters templates or Git.
   * @default - a public repository, no credentials
   */
  readonly repositoryCredentialsSecret?: string;
  /**
   * Environment name, published on the ArgoCD cluster secret for ApplicationSets to select on.
   * @default "production"
   */
  readonly environment?: string;
  /**
   * Version of the argo-cd Helm chart (https://argoproj.github.io/argo-helm), pinned.
   * @default - the version pinned in this library (10.10.0, Argo CD 3.5)
   */
  readonly chartVersion?: string;
}
