import * as fs from 'fs';
import { ReportInputError } from '../report/private/inputs';
import { ReportAcceptance } from '../report/report-acceptance';
import { ResilienceReport } from '../report/resilience-report';

const USAGE = `usage: resilient-eks report <cloud-assembly-dir> [<manifest file or dir>...] [--json FILE] [--markdown FILE] [--accept ROW[@SUBJECT]=REASON]...

Computes the resilience report from what was synthesized: the CDK cloud assembly (cdk.out) and
Kubernetes manifests. Exit 0 when every row passes or is accepted, 1 when a row fails, 2 when
the input cannot be read.`;

/** What the command line asked for. */
interface Arguments {
  readonly cloudAssemblyDir: string;
  readonly manifestPaths: string[];
  readonly json?: string;
  readonly markdown?: string;
  readonly acceptances: ReportAcceptance[];
}

function parse(argv: string[]): Arguments {
  const [command, ...rest] = argv;
  if (command !== 'report') throw new ReportInputError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  const positional: string[] = [];
  const acceptances: ReportAcceptance[] = [];
  let json: string | undefined;
  let markdown: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const value = () => {
      const next = rest[++i];
      if (next === undefined) throw new ReportInputError(`${rest[i - 1]} needs a value\n${USAGE}`);
      return next;
    };
    const arg = rest[i];
    if (arg === '--json') {json = value();} else if (arg === '--markdown') {markdown = value();} else if (arg === '--accept') {
      const match = /^([a-z0-9-]+)(?:@([^=]+))?=(.+)$/.exec(value());
      if (!match) throw new ReportInputError('--accept takes ROW[@SUBJECT]=REASON, e.g. --accept "zone-rebalance@shop/Deployment/api=descheduler runs outside this repo"');
      acceptances.push({ rowId: match[1], subject: match[2], reason: match[3] });
    } else if (arg.startsWith('--')) {throw new ReportInputError(`unknown option "${arg}"\n${USAGE}`);} else {positional.push(arg);}
  }
  if (positional.length === 0) throw new ReportInputError(`missing <cloud-assembly-dir>\n${USAGE}`);
  return { cloudAssemblyDir: positional[0], manifestPaths: positional.slice(1), json, markdown, acceptances };
}

/** Runs the command line; returns the exit code. */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let args: Arguments;
  let report: ResilienceReport;
  try {
    args = parse(argv);
    report = ResilienceReport.fromSynthesized(args);
  } catch (error) {
    if (error instanceof ReportInputError) {
      err(`resilient-eks: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (args.json) fs.writeFileSync(args.json, report.toJson());
  if (args.markdown) fs.writeFileSync(args.markdown, report.toMarkdown());
  out(report.validationTable());
  out(`\n${report.summary()}`);
  for (const row of report.failures) {
    out(`\nFAIL ${row.id} ${row.subject}: ${row.claim}\n  ${row.arithmetic}\n  fix: ${row.fix}\n  evidence: ${row.evidence}`);
  }
  return report.passed ? 0 : 1;
}
