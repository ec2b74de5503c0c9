import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';

/**
 * Finds secret values in synthesized output (CloudFormation templates and
 * Kubernetes YAML). Names of secrets are fine; values are not. Documents are
 * parsed and walked, so a secret is found however it is encoded: a YAML
 * value, a JSON property, or a manifest embedded as a JSON string in a
 * CloudFormation property.
 */
const VALUE_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key ID', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})\b/],
  ['GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ['Slack token', /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/],
  ['credentials in a URL', /\b[a-z][a-z0-9+.-]*:\/\/(?!git@)[^/\s@"'$]+@[^/\s]/i],
];
/** Keys whose string values are secrets whatever they look like. */
const SECRET_KEY = /^(password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|ssh[_-]?private[_-]?key|client[_-]?secret|bearer[_-]?token|aws[_-]?secret[_-]?access[_-]?key|secret[_-]?access[_-]?key)$/i;
/** Keys of the ArgoCD cluster secret, which holds no secret value. */
const CLUSTER_SECRET_KEYS = new Set(['name', 'server', 'config']);

/** The secret values found in one parsed document, as "where: what". */
export function findSecretsIn(document: unknown, where = '$'): string[] {
  const found: string[] = [];
  const visit = (value: unknown, at: string, key?: string): void => {
    if (typeof value === 'string') {
      if (key && SECRET_KEY.test(key) && value.length > 0 && !/^\$\{Token\[/.test(value)) found.push(`${at}: value of "${key}"`);
      for (const [kind, pattern] of VALUE_PATTERNS) if (pattern.test(value)) found.push(`${at}: ${kind}`);
      const trimmed = value.trim();
      if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && trimmed.length > 1) {
        try { visit(JSON.parse(trimmed), `${at}(json)`); } catch { /* not JSON */ }
      }
      return;
    }
    if (Array.isArray(value)) { value.forEach((item, i) => visit(item, `${at}[${i}]`)); return; }
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (object.kind === 'Secret') {
        if (object.data && Object.keys(object.data).length > 0) found.push(`${at}: a Secret with data`);
        const extra = Object.keys((object.stringData ?? {}) as object).filter((k) => !CLUSTER_SECRET_KEYS.has(k));
        if (extra.length > 0) found.push(`${at}: a Secret with stringData ${extra.join(', ')}`);
      }
      // CloudFormation's Fn::Join of a JSON manifest: join the literal parts so the JSON can be read.
      if (Array.isArray(object['Fn::Join']) && Array.isArray(object['Fn::Join'][1])) {
        visit((object['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : '"<token>"')).join(''), `${at}(joined)`);
      }
      for (const [k, v] of Object.entries(object)) visit(v, `${at}.${k}`, k);
    }
  };
  visit(document, where);
  return found;
}

/** The secret values found in the JSON and YAML files under a directory. */
export function findSecretsInDirectory(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return findSecretsInDirectory(file);
    if (entry.name.endsWith('.json')) return findSecretsIn(JSON.parse(fs.readFileSync(file, 'utf8')), entry.name);
    if (/\.ya?ml$/.test(entry.name)) return findSecretsIn(Yaml.load(file), entry.name);
    return [];
  });
}
