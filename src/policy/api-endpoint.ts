import { invalid } from './errors';
import { requireCidr } from './names';

/** Who may open a TCP connection to the cluster's Kubernetes API. */
export interface ApiEndpointExposure {
  /** Whether EKS serves a public endpoint next to the private one. */
  readonly isPublic: boolean;
  /** The ranges the public endpoint admits; undefined when it is private or open to any address. */
  readonly publicCidrs?: string[];
}

/** The props that decide the API endpoint, as the user named them. */
export interface ApiEndpointChoice {
  readonly publicEndpointCidrs?: string[];
  readonly acceptPublicEndpointFromAnywhere?: boolean;
}

/**
 * The API endpoint a platform gets. Private unless asked otherwise: CloudFormation deploys
 * through CDK's kubectl handler, which aws-eks-v2 places in the VPC's private subnets whenever
 * public access is off or limited, so a deployment never needs a public endpoint. A public one
 * is opened only to listed ranges, or to every address when the user accepts that in so many words.
 */
export function apiEndpointExposure(choice: ApiEndpointChoice): ApiEndpointExposure {
  const { publicEndpointCidrs: cidrs, acceptPublicEndpointFromAnywhere: acceptAnywhere } = choice;
  if (cidrs === undefined) {
    return acceptAnywhere === true ? { isPublic: true } : { isPublic: false };
  }
  if (cidrs.length === 0) {
    invalid('publicEndpointCidrs', cidrs, 'must list at least one CIDR: an empty list opens no public endpoint and reads as if it did',
      'omit publicEndpointCidrs for a private-only endpoint, or list the ranges that may reach the API (e.g. your CI runners\' egress addresses)');
  }
  cidrs.forEach((cidr, i) => {
    requireCidr(`publicEndpointCidrs[${i}]`, cidr);
    if (cidr.endsWith('/0') && acceptAnywhere !== true) {
      invalid(`publicEndpointCidrs[${i}]`, cidr, 'admits every address on the internet to the Kubernetes API, which only IAM authentication then stands in front of',
        'list narrower ranges, or set acceptPublicEndpointFromAnywhere: true (and omit publicEndpointCidrs) to accept an endpoint open to all');
    }
  });
  if (acceptAnywhere !== undefined) {
    invalid('acceptPublicEndpointFromAnywhere', acceptAnywhere, 'has no effect with publicEndpointCidrs: the listed ranges decide who reaches the public endpoint',
      'remove acceptPublicEndpointFromAnywhere, or remove publicEndpointCidrs to open the endpoint to all');
  }
  return { isPublic: true, publicCidrs: [...cidrs] };
}
