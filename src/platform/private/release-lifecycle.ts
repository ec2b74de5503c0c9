/**
 * The ECR lifecycle policy of service images: untagged images (failed or
 * superseded pushes) expire after a day, the last `keepReleases` tagged
 * releases are kept. One text for the repositories of the primary region and
 * for the replicas ECR creates in the recovery region.
 */
export function releaseLifecyclePolicy(keepReleases: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: 'Expire untagged images (failed or superseded pushes)',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepReleases} releases`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepReleases },
        action: { type: 'expire' },
      },
    ],
  });
}
