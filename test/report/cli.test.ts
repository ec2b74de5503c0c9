import * as fs from 'fs';
import * as path from 'path';
import { synthesizeExample } from './example-output';
import { main } from '../../src/cli/resilient-eks';

describe('resilient-eks report', () => {
  const { outdir } = synthesizeExample();
  const cloudformation = path.join(outdir, 'cloudformation');
  const kubernetes = path.join(outdir, 'kubernetes');
  const run = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, (line) => out.push(line), (line) => err.push(line));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('exits 0 on the example and writes Markdown and JSON', () => {
    const json = path.join(outdir, 'report.json');
    const markdown = path.join(outdir, 'report.md');
    const result = run('report', cloudformation, kubernetes, '--json', json, '--markdown', markdown);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/rows: \d+ PASS, 0 FAIL, 0 ACCEPTED/);
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).passed).toBe(true);
    expect(fs.readFileSync(markdown, 'utf8')).toContain('| Fault tolerance |');
  });

  test('exits 1 with the failing rows when a manifest breaks a claim, and 0 again once that row is accepted', () => {
    const mutated = path.join(outdir, 'mutated');
    fs.mkdirSync(mutated, { recursive: true });
    const yaml = fs.readFileSync(path.join(kubernetes, 'shop.k8s.yaml'), 'utf8');
    fs.writeFileSync(path.join(mutated, 'shop.k8s.yaml'), yaml.replace(/maxUnavailable: 0\n/, 'maxUnavailable: 1\n'));
    const failed = run('report', cloudformation, mutated);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('FAIL rollout-no-drop shop/Deployment/frontend');
    expect(failed.out).toContain('fix: use a RollingUpdate with maxUnavailable: 0');
    const accepted = run('report', cloudformation, mutated, '--accept', 'rollout-no-drop@shop/Deployment/frontend=one replica at a time is fine for this test');
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('1 ACCEPTED');
  });

  test('exits 2 on input it cannot read, naming the file and what was expected', () => {
    expect(run('report', path.join(outdir, 'nowhere'))).toMatchObject({ code: 2, err: expect.stringContaining('nowhere/manifest.json: cannot be read (expected a cloud assembly') });
    const notYaml = path.join(outdir, 'not-kubernetes.yaml');
    fs.writeFileSync(notYaml, 'just: text\n');
    expect(run('report', cloudformation, notYaml)).toMatchObject({ code: 2, err: expect.stringContaining('not-kubernetes.yaml: document 1 is not a Kubernetes object') });
    expect(run('report', cloudformation, path.join(outdir, 'missing-dir'))).toMatchObject({ code: 2, err: expect.stringContaining('missing-dir: no such file or directory') });
    expect(run('lint').code).toBe(2);
    expect(run('report', cloudformation, '--accept', 'nonsense').err).toContain('--accept takes ROW[@SUBJECT]=REASON');
  });
});
