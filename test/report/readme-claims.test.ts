import * as fs from 'fs';
import * as path from 'path';
import { reportOf, synthesizeExample } from './example-output';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The README's section on the report, from its heading to the next one. */
const section = README.slice(README.indexOf('## The resilience report'), README.indexOf('\n## ', README.indexOf('## The resilience report') + 1));

describe('the README\'s resilience claims are the report\'s rows', () => {
  const report = reportOf(synthesizeExample());

  test('the validation table in the README is the one the example computes', () => {
    const table = /<!-- resilience-report:validation-table -->\n([\s\S]*?)\n<!-- \/resilience-report:validation-table -->/.exec(README);
    expect(table).not.toBeNull();
    expect(table![1]).toBe(report.validationTable());
  });

  test('every row the README describes is one the report computes, and every row the example computes is described', () => {
    // The first cell of each row of the description table: one or more `row-id`s.
    const described = new Set([...section.matchAll(/^\| (`[a-z-]+`(?:, `[a-z-]+`)*) \|/gm)]
      .flatMap((m) => [...m[1].matchAll(/`([a-z-]+)`/g)].map((id) => id[1])));
    const computed = new Set(report.rows.map((r) => r.id));
    for (const id of computed) expect(described).toContain(id);
    // Rows the example does not produce (it has no such input) exist in the report's source.
    const sources = fs.readdirSync(path.join(__dirname, '..', '..', 'src', 'report', 'private', 'rows'))
      .map((file) => fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'report', 'private', 'rows', file), 'utf8')).join('\n');
    for (const id of described) expect(sources).toContain(`'${id}'`);
  });
});
