import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { retainedKey } from './retained-key';
import { requireEmail } from '../../policy/names';

/** What an alarm topic is for and who reads it. */
export interface AlarmTopicProps {
  /** The topic's display name, which starts every email (e.g. "shop platform alarms"). */
  readonly displayName: string;
  readonly keyDescription: string;
  readonly emailAddresses: string[];
  /** The prop the addresses came from, named when one is not an email address. */
  readonly emailProp: string;
}

/**
 * An SNS topic alarms publish to: encrypted with a customer-managed key that
 * CloudWatch may use to encrypt what it publishes, TLS only, and one email
 * subscription per address. Created in `scope` as `Key` and `Topic`.
 */
export function alarmTopic(scope: Construct, props: AlarmTopicProps): { topic: sns.Topic; key: kms.Key } {
  const key = retainedKey(scope, 'Key', props.keyDescription);
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  const topic = new sns.Topic(scope, 'Topic', { displayName: props.displayName, masterKey: key, enforceSSL: true });
  props.emailAddresses.forEach((address, i) => {
    if (!Token.isUnresolved(address)) requireEmail(`${props.emailProp}[${i}]`, address);
    topic.addSubscription(new subscriptions.EmailSubscription(address));
  });
  return { topic, key };
}
