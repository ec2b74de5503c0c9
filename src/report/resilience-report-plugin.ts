import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack, Token } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { chartObjects, readManifests, readTemplate } from './private/inputs';
import { ReportAcceptance } from './report-acceptance';
import { ResilienceReport } from './resilience-report';

/** Properties of a {@link ResilienceReportPlugin}. */
export interface ResilienceReportPluginProps {
  /**
   * Kubernetes manifest files or directories the platform's clusters run (e.g. the GitOps directory).
   * @default - only the objects the templates apply are judged
   */
  readonly manifestPaths?: string[];
  /**
   * cdk8s charts the platform's clusters run.
   * @default - none
   */
  readonly charts?: Chart[];
  /**
   * Failing rows to accept, each with its reason.
   * @default - none
   */
  readonly acceptances?: ReportAcceptance[];
}

/**
 * Runs the resilience report at every `cdk synth`: a row that fails makes
 * synth fail with the row's claim, arithmetic and fix. Register it with
 * `Validations.of(app).addPlugins(new ResilienceReportPlugin({...}))`.
 */
export class ResilienceReportPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in CDK's validation report. */
  public readonly name = 'resilient-eks-resilience-report';

  constructor(private readonly props: ResilienceReportPluginProps = {}) {}

  /** Computes the report on the synthesized templates. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates.map((entry) => {
      const construct = context.appConstruct.node.findAll().find((c) => c.node.path === entry.stackConstructPath);
      const stack = construct && Stack.isStack(construct) ? construct : undefined;
      const region = stack && !Token.isUnresolved(stack.region) ? stack.region : undefined;
      return readTemplate(entry.templatePath, stack?.stackName ?? entry.stackConstructPath, region);
    });
    const manifests = [
      ...readManifests(this.props.manifestPaths ?? []),
      ...chartObjects(this.props.charts ?? []),
    ];
    const report = ResilienceReport._fromInputs(stacks, manifests, this.props.acceptances ?? []);
    const templateOf = (subject: string) => stacks.find((s) => s.name === subject.split('/')[0]);
    return {
      success: report.passed,
      violations: report.failures.map((row) => ({
        ruleName: row.id,
        description: `${row.claim} (${row.subject}): ${row.arithmetic}`,
        fix: row.fix,
        violatingResources: [{
          resourceLogicalId: templateOf(row.subject) ? row.subject.split('/')[1] : undefined,
          templatePath: templateOf(row.subject)?.templatePath,
          locations: [row.evidence],
        }],
      })),
    };
  }
}
