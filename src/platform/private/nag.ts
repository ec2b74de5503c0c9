import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule acknowledged on a construct and everything below it, with the reason. */
export interface NagAcknowledgement {
  /** The rule, e.g. "AwsSolutions-EC23", or one finding: "AwsSolutions-IAM5[Resource::*]". */
  readonly id: string;
  /** Why the finding is accepted. Shown in every report. */
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings through aws-cdk-lib's own Validations API
 * (what cdk-nag 3 reads), so the library needs no runtime dependency on
 * cdk-nag. Findings are acknowledged one by one: a new wildcard or managed
 * policy shows up as a new finding instead of hiding behind a blanket rule.
 */
export function acknowledgeNag(scope: IConstruct, acknowledgements: NagAcknowledgement[]): void {
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
