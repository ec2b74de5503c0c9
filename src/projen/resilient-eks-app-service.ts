/** A service of a {@link ResilientEksAppProject}: one HaMicroservice, one ECR repository and one image build. */
export interface ResilientEksAppService {
  /** The service name: its Deployment, namespace, ECR repository (`<clusterName>/<name>`) and `services/<name>` directory. */
  readonly name: string;
  /**
   * The image repository, without tag (the tag lives in `src/gitops/image-tags.json`, bumped by CI).
   * @default - the platform's ECR repository `<account>.dkr.ecr.<region>.amazonaws.com/<clusterName>/<name>`
   * of each region (the standby pulls the replica in its own region)
   */
  readonly imageRepository?: string;
  /**
   * The port the container listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * CPU request, in millicores.
   * @default 250
   */
  readonly cpuMillis?: number;
  /**
   * Memory request (and limit), in mebibytes.
   * @default 256
   */
  readonly memoryMebibytes?: number;
}
