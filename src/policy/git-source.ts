import { invalid } from './errors';

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s?#]+$/;
const SSH_URL = /^(ssh:\/\/)?[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d+)?[:/][^\s?#]+$/;
// A branch, tag or commit: git's ref-name rules, minus what ArgoCD could never resolve.
const REVISION = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$|.*@\{)[A-Za-z0-9._\/-]+$/;

/** A Git repository URL ArgoCD can clone: HTTPS or SSH, without credentials in it. */
export function requireRepoUrl(prop: string, url: string): string {
  if (/^https?:\/\/[^/]*@/.test(url)) {
    invalid(prop, url.replace(/\/\/[^/]*@/, '//***@'), 'must not embed credentials: Git holds no secrets, and this URL ends up in manifests',
      'use the plain URL and deliver credentials from AWS Secrets Manager (repositoryCredentialsSecret)');
  }
  if (!HTTPS_URL.test(url) && !SSH_URL.test(url)) {
    invalid(prop, url, 'must be an HTTPS ("https://host/org/repo.git") or SSH ("git@host:org/repo.git") Git URL', 'use the URL you would git clone');
  }
  return url;
}

/** A branch, tag or commit SHA. */
export function requireRevision(prop: string, revision: string): string {
  if (revision.length > 255 || !REVISION.test(revision)) {
    invalid(prop, revision, 'must be a branch, tag or commit (letters, digits, ".", "_", "-" and "/", no "..", "//" or trailing "/")', 'use e.g. "main" or "v1.2.0"');
  }
  return revision;
}

/** A directory inside the repository: relative, without "..". */
export function requireRepoPath(prop: string, path: string): string {
  if (path === '' || path.startsWith('/') || path.split('/').some((segment) => segment === '..' || segment === '') || /[*?\s]/.test(path)) {
    invalid(prop, path, 'must be a relative directory inside the repository, without "..", empty segments, wildcards or spaces',
      'use e.g. "gitops" or "gitops/platform"');
  }
  return path;
}
