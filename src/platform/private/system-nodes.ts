import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** The taint that keeps everything but cluster-critical add-ons off the system node group. */
export const SYSTEM_NODE_TAINT_KEY = 'CriticalAddonsOnly';
/** The label of the system node group's nodes, for add-ons that must run there and nowhere else. */
export const SYSTEM_NODE_LABELS: { readonly [key: string]: string } = { 'resilient-eks/node-role': 'system' };
/** What an add-on's pods tolerate to be allowed onto the system nodes (Helm values form). */
export const SYSTEM_NODE_TOLERATIONS = [{ key: SYSTEM_NODE_TAINT_KEY, operator: 'Exists' }];

/** The root device of the Amazon Linux 2023 EKS AMIs, x86_64 and arm64 alike. */
const AL2023_ROOT_DEVICE = '/dev/xvda';
/** The root volume size EKS gives a managed node group without a launch template, kept so the change costs nothing. */
const ROOT_VOLUME_GIB = 20;

/**
 * The launch template of the system node group. IMDSv2 only, with a hop limit of 1: a pod
 * (one network hop further than the node) cannot fetch the node role's credentials, so each
 * add-on has only its own Pod Identity role, as on the Karpenter nodes, whose EC2NodeClass
 * sets the same. The root volume is encrypted. The template names no AMI, instance type or
 * profile: EKS fills those in, and each change of the template rolls the group the way an
 * upgrade does, one node at a time and within the pods' disruption budgets.
 */
export function systemNodeLaunchTemplate(scope: Construct, id: string): ec2.LaunchTemplate {
  return new ec2.LaunchTemplate(scope, id, {
    requireImdsv2: true,
    httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
    httpPutResponseHopLimit: 1,
    blockDevices: [{
      deviceName: AL2023_ROOT_DEVICE,
      volume: ec2.BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
    }],
  });
}
