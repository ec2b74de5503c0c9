import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * A customer-managed KMS key with yearly rotation, kept when the stack is
 * deleted: whatever it encrypted (secrets, images, backups) may outlive the
 * stack and must stay readable.
 */
export function retainedKey(scope: Construct, id: string, description: string): kms.Key {
  return new kms.Key(scope, id, { enableKeyRotation: true, description, removalPolicy: RemovalPolicy.RETAIN });
}
