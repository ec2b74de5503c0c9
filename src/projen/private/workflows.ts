import { github } from 'projen';
import { AppConfig } from './app-config';

/** Actions, pinned to the versions projen itself pins in its own workflows (projen 0.103). */
export const CHECKOUT = 'actions/checkout@v6';
export const SETUP_NODE = 'actions/setup-node@v7.0.0';
export const CONFIGURE_AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials@v6.2.3';

/** Where the workflows find the IAM roles they assume with GitHub's OIDC token (never a secret in Git). */
export interface WorkflowRoles {
  readonly imagePushRoleArn: string;
  readonly diffRoleArn: string;
  readonly deployRoleArn: string;
  readonly deployEnvironment: string;
}

/** Node.js 22: Node 20 left support on 2026-04-30. */
const NODE_VERSION = '22';

function nodeSetup(checkout: Record<string, string> = {}): github.workflows.JobStep[] {
  return [
    { name: 'Checkout', uses: CHECKOUT, ...(Object.keys(checkout).length > 0 ? { with: checkout } : {}) },
    { name: 'Setup Node.js', uses: SETUP_NODE, with: { 'node-version': NODE_VERSION } },
    { name: 'Install dependencies', run: 'npm ci' },
  ];
}

function awsCredentials(roleArn: string, region: string, sessionName: string): github.workflows.JobStep {
  return {
    name: 'Configure AWS credentials (OIDC)',
    uses: CONFIGURE_AWS_CREDENTIALS,
    with: { 'role-to-assume': roleArn, 'aws-region': region, 'role-session-name': sessionName },
  };
}

/** gitops/ and runbooks/ must be exactly what the code renders: a pull request that changes one without the other fails. */
export function addGitOpsDriftWorkflow(gh: github.GitHub, config: AppConfig): void {
  const workflow = gh.addWorkflow('gitops-drift');
  workflow.on({ pullRequest: {}, push: { branches: [config.branch] }, workflowDispatch: {} });
  workflow.addJobs({
    'gitops-drift': {
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      steps: [...nodeSetup(), { name: 'Render gitops/ and runbooks/ and compare with Git', run: 'npx projen gitops:check' }],
    },
  });
}

/**
 * After each successful deploy (which creates the ECR repositories) and on a
 * change under services/: build the image of each service this repository
 * builds, push it to the primary region's ECR repository (replicated to the
 * recovery region by the platform) with the commit SHA as tag, then commit the
 * new tags and the re-rendered gitops/ so ArgoCD rolls them out. Runs one at a
 * time; a tag already pushed is skipped (the repositories' tags are immutable,
 * so a re-run would otherwise fail).
 */
export function addImagesWorkflow(gh: github.GitHub, config: AppConfig, roles: WorkflowRoles): void {
  const built = config.services.filter((service) => service.buildsImage).map((service) => service.name);
  if (built.length === 0) return;
  const workflow = gh.addWorkflow('images');
  workflow.on({
    push: { branches: [config.branch], paths: ['services/**'] },
    workflowRun: { workflows: ['deploy'], types: ['completed'] },
    workflowDispatch: {},
  });
  workflow.file?.addOverride('concurrency', { 'group': 'images', 'cancel-in-progress': false });
  const registry = `${config.awsAccount}.dkr.ecr.${config.primaryRegion}.amazonaws.com`;
  const afterDeploy = 'github.event_name != \'workflow_run\' || github.event.workflow_run.conclusion == \'success\'';
  workflow.addJobs({
    build: {
      runsOn: ['ubuntu-latest'],
      if: afterDeploy,
      permissions: { idToken: github.workflows.JobPermission.WRITE, contents: github.workflows.JobPermission.READ },
      // One service failing must not cancel the others' pushes.
      strategy: { failFast: false, matrix: { domain: { service: built } } },
      steps: [
        { name: 'Checkout', uses: CHECKOUT },
        awsCredentials(roles.imagePushRoleArn, config.primaryRegion, 'images'),
        {
          name: 'Build and push',
          env: {
            SERVICE: '${{ matrix.service }}',
            REPOSITORY: `${config.ecrRepositoryPrefix}/\${{ matrix.service }}`,
            IMAGE: `${registry}/${config.ecrRepositoryPrefix}/\${{ matrix.service }}:\${{ github.sha }}`,
          },
          run: [
            `if aws ecr describe-images --region ${config.primaryRegion} --repository-name "$REPOSITORY" --image-ids imageTag=\${{ github.sha }} >/dev/null 2>&1; then`,
            '  echo "$IMAGE is already pushed"; exit 0',
            'fi',
            `aws ecr get-login-password --region ${config.primaryRegion} | docker login --username AWS --password-stdin ${registry}`,
            'docker build --tag "$IMAGE" "services/$SERVICE"',
            'docker push "$IMAGE"',
          ].join('\n'),
        },
      ],
    },
    bump: {
      needs: ['build'],
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.WRITE },
      steps: [
        // The branch as it is now, not the triggering commit: gitops/ is rendered by the newest code.
        ...nodeSetup({ ref: config.branch }),
        {
          name: 'Bump the image tags',
          env: { TAG: '${{ github.sha }}', SERVICES: built.join(' ') },
          run: 'npx projen set-image-tags',
        },
        { name: 'Render gitops/', run: 'npx projen gitops' },
        {
          name: 'Commit and push',
          run: [
            'git config user.name "github-actions[bot]"',
            'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
            'git add src/gitops/image-tags.json gitops',
            'git diff --cached --quiet && exit 0',
            'git commit -m "chore(images): deploy ${{ github.sha }}"',
            // Another commit may land meanwhile: rebase onto it, a few times if need be.
            `for attempt in 1 2 3; do git pull --rebase origin ${config.branch} && git push origin HEAD:${config.branch} && exit 0; sleep 5; done`,
            'exit 1',
          ].join('\n'),
        },
      ],
    },
  });
}

/** On a change to the infrastructure code: diff, then deploy every stack after an approval (a GitHub environment with required reviewers). */
export function addDeployWorkflow(gh: github.GitHub, config: AppConfig, roles: WorkflowRoles): void {
  const workflow = gh.addWorkflow('deploy');
  workflow.on({
    push: { branches: [config.branch], paths: ['src/**', '!src/gitops/**', 'cdk.json', 'package.json', '.projenrc.ts'] },
    workflowDispatch: {},
  });
  const read = { idToken: github.workflows.JobPermission.WRITE, contents: github.workflows.JobPermission.READ };
  // The diff runs before the approval with a read-only role; only the approved job may assume the deploy role.
  workflow.addJobs({
    diff: {
      runsOn: ['ubuntu-latest'],
      permissions: read,
      steps: [...nodeSetup(), awsCredentials(roles.diffRoleArn, config.primaryRegion, 'diff'), { name: 'Diff', run: 'npx cdk diff --all' }],
    },
    deploy: {
      needs: ['diff'],
      runsOn: ['ubuntu-latest'],
      // The environment's required reviewers approve each deploy (Settings > Environments).
      environment: roles.deployEnvironment,
      permissions: read,
      // GitHub's own key names: projen passes job concurrency through as written.
      concurrency: { 'group': 'deploy', 'cancel-in-progress': false },
      steps: [
        ...nodeSetup(),
        awsCredentials(roles.deployRoleArn, config.primaryRegion, 'deploy'),
        { name: 'Deploy', run: 'npx cdk deploy --all --require-approval never' },
      ],
    },
  });
}
