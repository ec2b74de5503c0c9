import { Chart } from 'cdk8s';
import { ReportContext, reportContext } from './private/context';
import { SkippedInput, SourcedObject, StackInput, chartObjects, readCloudAssembly, readManifestFiles } from './private/inputs';
import { clusterStacks } from './private/platform';
import { computeRows } from './private/rows';
import { nodePoolSubject } from './private/rows/cost';
import { inputCoverageRows } from './private/rows/input-coverage';
import { subjectOf } from './private/workloads';
import { ACCEPT_ANNOTATION_PREFIX, ReportAcceptance, TEMPLATE_METADATA_KEY } from './report-acceptance';
import { ReportRow, Requirement, RowStatus } from './report-row';

/** Where the report reads what was synthesized. */
export interface ResilienceReportOptions {
  /**
   * A cloud assembly directory (`cdk.out`) holding the platform's stacks.
   * @default - no platform: only the manifests are judged, and the rows that need the platform (zones, Karpenter, the descheduler) fail, saying it is not in the input
   */
  readonly cloudAssemblyDir?: string;
  /**
   * Kubernetes manifest files (YAML or JSON) and directories of them, read recursively.
   * In a directory, files that hold no Kubernetes object are skipped; a
   * kustomization or Helm chart is not rendered, so it gets a failing
   * `input-coverage` row (render it and pass the output, or accept the row).
   * @default - none
   */
  readonly manifestPaths?: string[];
  /**
   * cdk8s charts, judged as they would be synthesized.
   * @default - none
   */
  readonly charts?: Chart[];
  /**
   * Failing rows to accept, each with its reason.
   * @default - none (rows can also be accepted by annotation or template metadata)
   */
  readonly acceptances?: ReportAcceptance[];
}

/**
 * The resilience report: each claim of the architecture computed from what
 * was synthesized (the CloudFormation templates of the platform and the
 * Kubernetes manifests), not from props, so overrides, hand-written objects
 * and other constructs are judged too. Each row gives its status, the
 * evidence it read, the arithmetic and the fix.
 */
export class ResilienceReport {
  /** Builds the report from a cloud assembly, manifest files and charts. */
  public static fromSynthesized(options: ResilienceReportOptions): ResilienceReport {
    return ResilienceReport._readSynthesized(options).report;
  }

  /**
   * The report of {@link fromSynthesized}, with the manifest inputs it skipped (the CLI warns of each).
   * @internal
   */
  public static _readSynthesized(options: ResilienceReportOptions): { report: ResilienceReport; skipped: SkippedInput[] } {
    const stacks = options.cloudAssemblyDir ? readCloudAssembly(options.cloudAssemblyDir) : [];
    const { objects, skipped } = readManifestFiles(options.manifestPaths ?? []);
    const manifests = [...objects, ...chartObjects(options.charts ?? [])];
    return { report: new ResilienceReport(stacks, manifests, options.acceptances ?? [], skipped), skipped };
  }

  /** @internal */
  public static _fromInputs(
    stacks: StackInput[], manifests: SourcedObject[], acceptances: ReportAcceptance[], skipped: SkippedInput[] = [],
  ): ResilienceReport {
    return new ResilienceReport(stacks, manifests, acceptances, skipped);
  }

  /** Every row: the inputs that could not be judged, then per service, then per platform. */
  public readonly rows: ReportRow[];

  private constructor(stacks: StackInput[], manifests: SourcedObject[], acceptances: ReportAcceptance[], skipped: SkippedInput[]) {
    const context = reportContext(clusterStacks(stacks), manifests, stacks);
    this.rows = [...inputCoverageRows(skipped), ...computeRows(context)].map((row) => accept(row, acceptanceOf(context, stacks, acceptances, row)));
  }

  /** The rows that fail (neither passing, accepted nor inapplicable). */
  public get failures(): ReportRow[] {
    return this.rows.filter((row) => row.status === RowStatus.FAIL);
  }

  /** Whether every row passes, is accepted or does not apply. */
  public get passed(): boolean {
    return this.failures.length === 0;
  }

  /** One line: how many rows have each status. */
  public summary(): string {
    const counts = Object.values(RowStatus).map((status) => `${this.rows.filter((row) => row.status === status).length} ${status}`);
    return `${this.rows.length} rows: ${counts.join(', ')}`;
  }

  /** The architecture's validation table: one line per requirement, computed from the rows. */
  public validationTable(): string {
    const lines = ['| Requirement | Rows | Pass | Accepted | Fail | Status |', '|---|---|---|---|---|---|'];
    for (const requirement of Object.values(Requirement)) {
      const rows = this.rows.filter((row) => row.requirement === requirement && row.status !== RowStatus.NOT_APPLICABLE);
      const count = (status: RowStatus) => rows.filter((row) => row.status === status).length;
      const ids = [...new Set(rows.map((row) => row.id))].join(', ');
      const status = count(RowStatus.FAIL) > 0 ? '❌' : count(RowStatus.ACCEPTED) > 0 ? '✅ with accepted risks' : rows.length > 0 ? '✅' : 'no rows';
      lines.push(`| ${requirement} | ${ids} | ${count(RowStatus.PASS)} | ${count(RowStatus.ACCEPTED)} | ${count(RowStatus.FAIL)} | ${status} |`);
    }
    return lines.join('\n');
  }

  /** The report in Markdown: the validation table, then every row with its arithmetic. */
  public toMarkdown(): string {
    const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const rows = this.rows.map((row) => `| ${row.status} | ${row.id} | ${cell(row.subject)} | ${cell(row.claim)} | ${cell(row.arithmetic)} | ` +
      `${cell(row.status === RowStatus.ACCEPTED ? `accepted: ${row.acceptedReason}` : row.fix)} | ${cell(row.evidence)} |`);
    return [
      '# Resilience report', '',
      `${this.passed ? 'Every claim holds' : `${this.failures.length} claim(s) do not hold`}: ${this.rows.length} rows computed from the synthesized templates and manifests.`, '',
      '## Architecture validation', '', this.validationTable(), '',
      '## Rows', '',
      '| Status | Row | Subject | Claim | Arithmetic | Fix | Evidence |', '|---|---|---|---|---|---|---|',
      ...rows, '',
    ].join('\n');
  }

  /** The report as JSON: whether it passed, and every row. */
  public toJson(): string {
    return JSON.stringify({ passed: this.passed, failures: this.failures.length, rows: this.rows }, undefined, 2) + '\n';
  }
}

function accept(row: ReportRow, reason: string | undefined): ReportRow {
  if (row.status !== RowStatus.FAIL || reason === undefined) return row;
  return { ...row, status: RowStatus.ACCEPTED, acceptedReason: reason };
}

/** The subject a row about this object has: namespaced objects by namespace, NodePools (cluster-scoped) by the stack that applies them. */
function rowSubjectOf(sourced: SourcedObject): string {
  return sourced.object.kind === 'NodePool' ? nodePoolSubject(sourced.object.metadata.name, sourced.stack) : subjectOf(sourced.object);
}

/** Whether a row is about a stack: the stack itself, a cluster in it, or a NodePool it applies (never a namespace that shares its name). */
function isAboutStack(context: ReportContext, stack: StackInput, subject: string): boolean {
  return subject === stack.name ||
    context.clusters.some((c) => c.stack.name === stack.name && c.subject === subject) ||
    context.objects.some((o) => o.stack === stack.name && o.object.kind === 'NodePool' && rowSubjectOf(o) === subject);
}

/** The reason a row is accepted: by the caller, by an annotation on its object, or by the template metadata of the stack it is about. */
function acceptanceOf(context: ReportContext, stacks: StackInput[], acceptances: ReportAcceptance[], row: ReportRow): string | undefined {
  const given = acceptances.find((a) => a.rowId === row.id && (a.subject === undefined || a.subject === row.subject));
  if (given) return given.reason;
  const object = context.objects.find((o) => rowSubjectOf(o) === row.subject)?.object;
  const annotated = object?.metadata.annotations?.[`${ACCEPT_ANNOTATION_PREFIX}${row.id}`];
  if (annotated) return annotated;
  const stack = stacks.find((s) => isAboutStack(context, s, row.subject));
  if (!stack) return undefined;
  return context.clusters.find((c) => c.stack.name === stack.name)?.acceptances[row.id] ??
    stack.template.Metadata?.[TEMPLATE_METADATA_KEY]?.accept?.[row.id];
}
