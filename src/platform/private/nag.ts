import { AspectPriority, Aspects, CfnElement, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule acknowledged on a construct and everything below it, with the reason. */
export interface NagAcknowledgement {
  /** The rule, e.g. "AwsSolutions-EC23", or one finding: "AwsSolutions-IAM5[Resource::*]". */
  readonly id: string;
  /** Why the finding is accepted. Shown in every report. */
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings in both forms cdk-nag reads, so the library
 * needs no runtime dependency on cdk-nag and users of either major version
 * see the same result:
 * - cdk-nag 3 reads aws-cdk-lib's own Validations acknowledgements on the
 *   resource or any construct above it;
 * - cdk-nag 2 (applied as an Aspect) reads only the `cdk_nag` entry of each
 *   resource's CloudFormation Metadata, the form its NagSuppressions writes.
 * Findings are acknowledged one by one: a new wildcard or managed policy
 * shows up as a new finding instead of hiding behind a blanket rule.
 */
export function acknowledgeNag(scope: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  const cdkNag2 = cdkNag2Rules(acknowledgements.filter((acknowledgement) => CDK_NAG_PACK_RULE.test(acknowledgement.id)));
  if (cdkNag2.length > 0) {
    // MUTATING (200) runs on every resource before cdk-nag 2's checks, which are added with the default priority (500).
    Aspects.of(scope).add(new CdkNag2Suppressions(cdkNag2), { priority: AspectPriority.MUTATING });
  }
  for (const acknowledgement of acknowledgements) {
    if (acknowledgement.id.split('::').length <= 2) {
      Validations.of(scope).acknowledge(acknowledgement);
    } else {
      // Finding IDs such as "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:...]" hold more than one "::", which
      // acknowledge() reserves for its own prefix; record them in the metadata it writes, which cdk-nag reads.
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [acknowledgement.id]: acknowledgement.reason });
    }
  }
}

/** One entry of cdk-nag 2's `rules_to_suppress`: a finding goes in `applies_to`, a reason above Latin-1 is base64. */
interface CdkNag2Rule {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
  readonly is_reason_encoded?: boolean;
}

/** The rule packs cdk-nag 2 ships; acknowledgements of other validations (e.g. CloudFormation-Validate) are not its to read. */
const CDK_NAG_PACK_RULE = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R[45]|PCI\.DSS\.321|Serverless)-/;

/** Writes acknowledgements into each resource's `cdk_nag` Metadata, merged with any a user recorded there, without repeats. */
class CdkNag2Suppressions implements IAspect {
  constructor(private readonly rules: CdkNag2Rule[]) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const existing: CdkNag2Rule[] = node.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
    const serialized = new Set(existing.map((rule) => JSON.stringify(rule)));
    const added = this.rules.filter((rule) => !serialized.has(JSON.stringify(rule)));
    if (added.length > 0) node.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...added] });
  }
}

/**
 * "AwsSolutions-IAM5[Resource::*]" becomes `{ id: "AwsSolutions-IAM5", applies_to: ["Resource::*"] }`, as cdk-nag 2
 * requires; findings of one rule with one reason share an entry, so a long reason is written once per resource.
 */
function cdkNag2Rules(acknowledgements: NagAcknowledgement[]): CdkNag2Rule[] {
  const grouped = new Map<string, { id: string; reason: string; findings?: string[] }>();
  for (const acknowledgement of acknowledgements) {
    const finding = /^([^[]+)\[(.*)\]$/.exec(acknowledgement.id);
    const id = finding ? finding[1] : acknowledgement.id;
    const key = JSON.stringify([id, acknowledgement.reason, !!finding]);
    const group = grouped.get(key) ?? { id, reason: acknowledgement.reason, findings: finding ? [] : undefined };
    if (finding) group.findings!.push(finding[2]);
    grouped.set(key, group);
  }
  return [...grouped.values()].map(({ id, reason, findings }) => {
    const encode = [...reason].some((character) => character.codePointAt(0)! > 255);
    return {
      id,
      reason: encode ? Buffer.from(reason).toString('base64') : reason,
      ...(findings ? { applies_to: findings } : {}),
      ...(encode ? { is_reason_encoded: true } : {}),
    };
  });
}

/** The AwsSolutions-IAM4 findings for AWS managed policies (names as in the policy ARN, e.g. "service-role/X"). */
export function managedPolicyFindings(policyNames: string[], reason: string): NagAcknowledgement[] {
  return policyNames.map((name) => ({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`, reason }));
}

/** The AwsSolutions-IAM5 findings for wildcard resources, written as cdk-nag prints them (`<AWS::Region>`...). */
export function wildcardResourceFindings(resources: string[], reason: string): NagAcknowledgement[] {
  return resources.map((resource) => ({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason }));
}

/** How cdk-nag prints a reference to a resource's attribute: `<LogicalId.Attribute>`. */
export function nagReference(element: CfnElement, attribute?: string): string {
  const logicalId = Stack.of(element).getLogicalId(element);
  return `<${logicalId}${attribute ? `.${attribute}` : ''}>`;
}
