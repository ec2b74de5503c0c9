import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks as AwsSolutionsChecksV3 } from 'cdk-nag';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag-v2';
import { SHOP_RECOVERY_REGION, ShopPlatformStack, ShopRecoveryRegionStack } from '../../examples/platform/platform-stack';
import { PlatformProfile } from '../../src';
import { acknowledgeNag } from '../../src/platform/private/nag';

/**
 * cdk-nag 2 applied the way its README shows (an Aspect on the app) reads
 * acknowledgements only from each resource's `cdk_nag` Metadata. Users on
 * either major version must see the platform clean.
 */

/** cdk-nag 2's AwsSolutions errors and warnings in every stack of the app, as "finding at path". */
function cdkNag2Findings(app: App): string[] {
  const nagMessage = Match.stringLikeRegexp('^AwsSolutions-');
  return app.node.children.filter(Stack.isStack).flatMap((stack) => {
    const annotations = Annotations.fromStack(stack);
    return [...annotations.findError('*', nagMessage), ...annotations.findWarning('*', nagMessage)]
      .map((message) => `${String(message.entry.data).split(': ')[0]} at ${message.id}`);
  });
}

test.each([PlatformProfile.HIGH_AVAILABILITY, PlatformProfile.COST_OPTIMIZED])('%s: the example stacks have no cdk-nag 2 AwsSolutions finding', (profile) => {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
  new ShopPlatformStack(app, 'ShopPlatform', { profile });
  new ShopRecoveryRegionStack(app, 'ShopRecoveryRegion');
  new ShopPlatformStack(app, 'ShopPlatformStandby', { region: SHOP_RECOVERY_REGION, profile });
  Aspects.of(app).add(new AwsSolutionsChecks());
  expect(cdkNag2Findings(app)).toEqual([]);
});

describe('one acknowledgement, read by both major versions', () => {
  function queueWithPolicy(): { app: App; stack: Stack; role: iam.Role } {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { region: 'eu-west-1' } });
    // SQS3/SQS4 (no dead-letter queue, no TLS-only policy) and IAM5 (a wildcard action) are what the acknowledgements name.
    new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['arn:aws:s3:::bucket/key'] }));
    return { app, stack, role };
  }

  test('a whole rule, a single finding, a reason beyond Latin-1 and a user\'s own cdk-nag 2 suppression', () => {
    const { app, stack, role } = queueWithPolicy();
    acknowledgeNag(stack.node.findChild('Queue'), [
      { id: 'AwsSolutions-SQS3', reason: 'The queue is a dead-letter queue itself: messages that fail twice land here.' },
    ]);
    acknowledgeNag(role, [{ id: 'AwsSolutions-IAM5[Action::s3:Get*]', reason: 'Reads only one object key → any Get action on it is harmless.' }]);
    NagSuppressions.addResourceSuppressions(stack.node.findChild('Queue'), [
      { id: 'AwsSolutions-SQS4', reason: 'The user acknowledges this one with cdk-nag 2 itself.' },
    ]);
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(cdkNag2Findings(app)).toEqual([]);
    expect(new AwsSolutionsChecksV3().validateScope(stack).violations.map((violation) => violation.ruleName)).toEqual(['AwsSolutions-SQS4']);
  });

  test('an acknowledgement of one finding leaves another finding of the same rule reported', () => {
    const { app, role } = queueWithPolicy();
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:List*'], resources: ['arn:aws:s3:::bucket'] }));
    acknowledgeNag(role, [{ id: 'AwsSolutions-IAM5[Action::s3:Get*]', reason: 'Reads only one object key, so any Get action on it is harmless.' }]);
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(cdkNag2Findings(app).filter((finding) => finding.includes('IAM5'))).toEqual(['AwsSolutions-IAM5[Action::s3:List*] at /S/Role/DefaultPolicy/Resource']);
  });
});
