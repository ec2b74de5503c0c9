/**
 * Patterns of secret values that must never appear in synthesized output
 * (CloudFormation templates, Kubernetes YAML). Names of secrets are fine;
 * values are not.
 */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key ID', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['AWS secret access key', /(aws_secret_access_key|SecretAccessKey)"?\s*[:=]\s*"?[A-Za-z0-9/+=]{40}/i],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ['Slack token', /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/],
  ['password value', /"?(password|passwd|secret_?key|client_?secret|token)"?\s*[:=]\s*"(?!\$\{Token\[)[^"\s]{4,}"/i],
  ['credentials in a URL', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]+:[^/\s@"]+@/i],
];

/** The secret-looking values found in a text, as "kind: excerpt". */
export function findSecrets(text: string): string[] {
  const found: string[] = [];
  for (const [kind, pattern] of SECRET_PATTERNS) {
    const match = pattern.exec(text);
    if (match) found.push(`${kind}: ${text.substring(Math.max(0, match.index - 20), match.index + 40)}`);
  }
  return found;
}
