import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { releaseLifecyclePolicy } from './release-lifecycle';
import { retainedKey } from './retained-key';
import { invalid, requireIntegerInRange } from '../../policy/errors';

export const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Inputs of the service repositories. */
export interface ServiceRepositoriesProps {
  readonly services: string[];
  readonly prefix: string;
  readonly keepReleases: number;
  /** The repositories are replicas ECR creates in this region: reference them instead of creating them. */
  readonly replicated?: boolean;
}

/**
 * One ECR repository per service: scanned on push, immutable tags (a tag
 * always means the same image, so rollbacks are exact), encrypted with a
 * customer-managed key, untagged images expired after a day, the last N
 * releases kept, and retained when the stack is deleted (recreating the stack
 * afterwards needs the old repositories deleted or imported). Nodes pull
 * through their AWS managed ECR pull policies, which cover every repository.
 */
export class ServiceRepositories extends Construct {
  public readonly repositories: { [service: string]: ecr.IRepository } = {};
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ServiceRepositoriesProps) {
    super(scope, id);
    requireIntegerInRange('ecrKeepReleases', props.keepReleases, 1, 1000, 'at least the running release must be kept');
    this.key = retainedKey(this, 'Key', 'Encrypts the service images in ECR');
    props.services.forEach((service, i) => {
      const repositoryName = `${props.prefix}/${service}`;
      if (!REPOSITORY_NAME.test(repositoryName) || repositoryName.length > 256) {
        invalid(`services[${i}]`, service, 'must make a valid ECR repository name (lower-case letters, digits, ".", "_", "-" and "/")', 'use the service\'s DNS name, e.g. "cart"');
      }
      if (this.repositories[service]) invalid(`services[${i}]`, service, 'is listed twice', 'list each service once');
      if (props.replicated) {
        this.repositories[service] = ecr.Repository.fromRepositoryName(this, service, repositoryName);
        return;
      }
      const repository = new ecr.Repository(this, service, {
        repositoryName,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.KMS,
        encryptionKey: this.key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      (repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = { lifecyclePolicyText: releaseLifecyclePolicy(props.keepReleases) };
      this.repositories[service] = repository;
    });
  }
}
