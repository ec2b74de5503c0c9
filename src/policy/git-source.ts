import { invalid } from './errors';

const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s?#"{}]+$/;
const SSH_URL = /^(ssh:\/\/)?git@[A-Za-z0-9.-]+(:\d+)?[:/][^\s?#"{}]+$/;
// A branch, tag or commit, by git's ref-name rules: no component starting with "." or "-", no "..", "//", "@{",
// trailing "/", "." or ".lock"; and no braces, which ApplicationSet templates would evaluate.
const REVISION = /^(?![-.])(?!.*(\.\.|\/\/|@\{|\/[.-]|\.lock$|\.$|\/$))[A-Za-z0-9._\/@-]+$/;

/** The URL with anything that could be a credential masked, for error messages. */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@').replace(/^([A-Za-z0-9._-]+):[^@/]*@/, '$1:***@').replace(/[?#].*$/, '?***');
}

/** A Git repository URL ArgoCD can clone: HTTPS or SSH (as git@), without credentials in it. */
export function requireRepoUrl(prop: string, url: string): string {
  if (/^[a-z+]+:\/\/[^/]*@/i.test(url) && !/^ssh:\/\/git@/.test(url) || /[?#]/.test(url) || /^[^/@]+:[^/@]*@/.test(url)) {
    invalid(prop, redact(url), 'must not carry credentials or query parameters: Git holds no secrets, and this URL ends up in manifests',
      'use the plain URL and deliver credentials from AWS Secrets Manager (repositoryCredentialsSecret)');
  }
  if (!HTTPS_URL.test(url) && !SSH_URL.test(url)) {
    invalid(prop, redact(url), 'must be an HTTPS ("https://host/org/repo.git") or SSH ("git@host:org/repo.git") Git URL', 'use the URL you would git clone');
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
  if (path === '' || path.startsWith('/') || path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '') ||
    /[*?\[\]{}"\\\s]/.test(path)) {
    invalid(prop, path, 'must be a relative directory inside the repository, without "." or ".." segments, empty segments, glob or template characters, or spaces',
      'use e.g. "gitops" or "gitops/platform"');
  }
  return path;
}
