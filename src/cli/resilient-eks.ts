import * as fs from 'fs';
import * as path from 'path';
import { ReportInputError, isCloudAssembly } from '../report/private/inputs';
import { ReportAcceptance } from '../report/report-acceptance';
import { ResilienceReport } from '../report/resilience-report';

/** The exit codes: the build tells a false claim (1) from input it could not judge (2), output it could not write (3) and a bug (70). */
export enum ExitCode {
  /** Every row passes, is accepted or does not apply. */
  PASSED = 0,
  /** At least one row fails. */
  FAILED = 1,
  /** Bad usage, or input that cannot be read. */
  BAD_INPUT = 2,
  /** A --json or --markdown file cannot be written. */
  OUTPUT_NOT_WRITTEN = 3,
  /** An internal error: a bug in resilient-eks (EX_SOFTWARE of sysexits.h). */
  INTERNAL_ERROR = 70,
}

const USAGE = `usage: resilient-eks report [--cloud-assembly DIR] [<manifest file or dir>...] [--json FILE] [--markdown FILE] [--accept ROW[@SUBJECT]=REASON]...
       resilient-eks report <cloud-assembly-dir> [<manifest file or dir>...] [options]

Computes the resilience report from what was synthesized: the CDK cloud assembly (cdk.out) and
Kubernetes manifests (YAML or JSON files; directories are read recursively). The cloud assembly is
--cloud-assembly DIR, or else the first path when it is a directory holding a cloud assembly's
manifest.json. Without one, only the manifests are judged and the rows that need the platform fail,
saying so. Kustomizations and Helm charts are not rendered: each is skipped with a warning and a
failing input-coverage row (render it and pass the output, or --accept input-coverage@PATH=REASON).

Exit codes:
  0   every row passes, is accepted or does not apply
  1   a row fails (each is printed with its fix)
  2   bad usage, or input that cannot be read (the message names the file and what was expected)
  3   a --json or --markdown file cannot be written
  70  an internal error: a bug in resilient-eks (the message and stack are printed)`;

/** Output that cannot be written: exit 3. */
class OutputError extends Error {}

/** What the command line asked for. */
interface Arguments {
  readonly help: boolean;
  readonly cloudAssemblyDir?: string;
  readonly manifestPaths: string[];
  readonly json?: string;
  readonly markdown?: string;
  readonly acceptances: ReportAcceptance[];
}

function parse(argv: string[]): Arguments {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { help: true, manifestPaths: [], acceptances: [] };
  if (command !== 'report') throw new ReportInputError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  const positional: string[] = [];
  const acceptances: ReportAcceptance[] = [];
  let cloudAssemblyDir: string | undefined;
  let json: string | undefined;
  let markdown: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const value = () => {
      const next = rest[++i];
      if (next === undefined) throw new ReportInputError(`${rest[i - 1]} needs a value\n${USAGE}`);
      return next;
    };
    const arg = rest[i];
    if (arg === '--help' || arg === '-h') {
      return { help: true, manifestPaths: [], acceptances: [] };
    } else if (arg === '--json') {
      json = value();
    } else if (arg === '--markdown') {
      markdown = value();
    } else if (arg === '--cloud-assembly') {
      cloudAssemblyDir = value();
    } else if (arg === '--accept') {
      const match = /^([a-z0-9-]+)(?:@([^=]+))?=(.+)$/.exec(value());
      if (!match) throw new ReportInputError('--accept takes ROW[@SUBJECT]=REASON, e.g. --accept "zone-rebalance@shop/Deployment/api=descheduler runs outside this repo"');
      acceptances.push({ rowId: match[1], subject: match[2], reason: match[3] });
    } else if (arg.startsWith('--')) {
      throw new ReportInputError(`unknown option "${arg}"\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (cloudAssemblyDir === undefined && positional.length === 0) {
    throw new ReportInputError(`missing the cloud assembly or manifests to judge\n${USAGE}`);
  }
  // The positional form `report <cloud-assembly-dir> <manifests>...` (what the project type's build runs) stays valid.
  const first = cloudAssemblyDir === undefined && isCloudAssembly(positional[0]);
  const misplaced = positional.slice(first ? 1 : 0).find(isCloudAssembly);
  if (misplaced) {
    throw new ReportInputError(`${misplaced}: a cloud assembly among the manifests (give one cloud assembly, as the first path or with --cloud-assembly)\n${USAGE}`);
  }
  if (first) return { help: false, cloudAssemblyDir: positional[0], manifestPaths: positional.slice(1), json, markdown, acceptances };
  if (cloudAssemblyDir === undefined && !fs.existsSync(positional[0])) {
    throw new ReportInputError(`${positional[0]}: no such file or directory (expected a cloud assembly, a Kubernetes manifest file or a directory of them)`);
  }
  return { help: false, cloudAssemblyDir, manifestPaths: positional, json, markdown, acceptances };
}

/** Runs the command line; returns the exit code ({@link ExitCode}). Never throws. */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  try {
    return run(argv, out, err);
  } catch (error) {
    if (error instanceof ReportInputError) {
      err(`resilient-eks: ${error.message}`);
      return ExitCode.BAD_INPUT;
    }
    if (error instanceof OutputError) {
      err(`resilient-eks: ${error.message}`);
      return ExitCode.OUTPUT_NOT_WRITTEN;
    }
    err(`resilient-eks: internal error, a bug in resilient-eks (please report it with this output):\n${(error as Error)?.stack ?? String(error)}`);
    return ExitCode.INTERNAL_ERROR;
  }
}

function run(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = parse(argv);
  if (args.help) {
    out(USAGE);
    return ExitCode.PASSED;
  }
  const { report, skipped } = ResilienceReport._readSynthesized(args);
  if (!args.cloudAssemblyDir) {
    err('resilient-eks: warning: no cloud assembly given (--cloud-assembly DIR, or a first path holding its manifest.json): ' +
      'only the manifests are judged, and the rows that need the platform fail');
  }
  for (const input of skipped) {
    err(`resilient-eks: warning: skipped ${input.path}: ${input.reason}${input.fix ? `; ${input.fix}` : ''}`);
  }
  out(report.validationTable());
  out(`\n${report.summary()}`);
  for (const row of report.failures) {
    out(`\nFAIL ${row.id} ${row.subject}: ${row.claim}\n  ${row.arithmetic}\n  fix: ${row.fix}\n  evidence: ${row.evidence}`);
  }
  const unwritten = [
    args.json ? write(args.json, 'JSON', () => report.toJson()) : undefined,
    args.markdown ? write(args.markdown, 'Markdown', () => report.toMarkdown()) : undefined,
  ].filter((message): message is string => message !== undefined);
  if (unwritten.length > 0) throw new OutputError(unwritten.join('\nresilient-eks: '));
  return report.passed ? ExitCode.PASSED : ExitCode.FAILED;
}

/** Writes one output file; returns why it could not be written, if it could not. */
function write(file: string, what: string, text: () => string): string | undefined {
  const content = text();
  try {
    fs.writeFileSync(file, content);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const directory = path.dirname(file);
    const why = code === 'ENOENT' ? (fs.existsSync(directory) ? `${directory} does not allow creating files` : `its directory ${directory} does not exist`)
      : code === 'EISDIR' ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied'
          : (error as Error).message;
    return `cannot write the ${what} report to ${file}: ${why}`;
  }
}
