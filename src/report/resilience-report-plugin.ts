import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack, Token } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { chartObjects, readManifestFiles, readTemplate } from './private/inputs';
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
    const read = readManifestFiles(this.props.manifestPaths ?? []);
    const manifests = [...read.objects, ...chartObjects(this.props.charts ?? [])];
    const report = ResilienceReport._fromInputs(stacks, manifests, this.props.acceptances ?? [], read.skipped);
    // A row about a stack or one of its resources points at that template; rows about Kubernetes objects point at no template.
    const resourceOf = (subject: string) => {
      const [name, logicalId] = subject.split('/');
      const stack = stacks.find((s) => s.name === name);
      if (!stack || (subject !== name && stack.template.Resources?.[logicalId] === undefined)) return undefined;
      return { templatePath: stack.templatePath, logicalId: subject === name ? undefined : logicalId };
    };
    return {
      success: report.passed,
      violations: report.failures.map((row) => ({
        ruleName: row.id,
        description: `${row.claim} (${row.subject}): ${row.arithmetic}`,
        fix: row.fix,
        violatingResources: [{
          resourceLogicalId: resourceOf(row.subject)?.logicalId,
          templatePath: resourceOf(row.subject)?.templatePath,
          locations: [row.evidence],
        }],
      })),
    };
  }
}
