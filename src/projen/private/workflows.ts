import { github } from 'projen';
import { AppConfig } from './app-config';

/** Actions, pinned to the versions projen itself pins in its own workflows (projen 0.103). */
export const CHECKOUT = 'actions/checkout@v6';
export const SETUP_NODE = 'actions/setup-node@v7.0.0';
export const CONFIGURE_AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials@v6.2.3';

/** Where the workflows find the IAM roles they assume with GitHub's OIDC token (never a secret in Git). */
export interface WorkflowRoles {
  readonly imagePushRoleArn: string;
  readonly deployRoleArn: string;
  readonly deployEnvironment: string;
}

const NODE_SETUP: github.workflows.JobStep[] = [
  { name: 'Checkout', uses: CHECKOUT },
  { name: 'Setup Node.js', uses: SETUP_NODE, with: { 'node-version': '20' } },
  { name: 'Install dependencies', run: 'npm ci' },
];

function awsCredentials(roleArn: string, region: string, sessionName: string): github.workflows.JobStep {
  return {
    name: 'Configure AWS credentials (OIDC)',
    uses: CONFIGURE_AWS_CREDENTIALS,
    with: { 'role-to-assume': roleArn, 'aws-region': region, 'role-session-name': sessionName },
  };
}

/** gitops/ and runbooks/ must be exactly what the code renders: a pull request that changes one without the other fails. */
export function addGitOpsDriftWorkflow(gh: github.GitHub): void {
  const workflow = gh.addWorkflow('gitops-drift');
  workflow.on({ pullRequest: {}, push: { branches: ['main'] }, workflowDispatch: {} });
  workflow.addJobs({
    'gitops-drift': {
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      steps: [...NODE_SETUP, { name: 'Render gitops/ and runbooks/ and compare with Git', run: 'npx projen gitops:check' }],
    },
  });
}

/**
 * On a change under services/: build each service's image, push it to the
 * primary region's ECR repository (replicated to the recovery region by the
 * platform) with the commit SHA as tag, then commit the new tags and the
 * re-rendered gitops/ so ArgoCD rolls them out.
 */
export function addImagesWorkflow(gh: github.GitHub, config: AppConfig, roles: WorkflowRoles): void {
  const workflow = gh.addWorkflow('images');
  workflow.on({ push: { branches: ['main'], paths: ['services/**'] }, workflowDispatch: {} });
  const registry = `${config.awsAccount}.dkr.ecr.${config.primaryRegion}.amazonaws.com`;
  workflow.addJobs({
    build: {
      runsOn: ['ubuntu-latest'],
      permissions: { idToken: github.workflows.JobPermission.WRITE, contents: github.workflows.JobPermission.READ },
      strategy: { matrix: { domain: { service: config.services.map((service) => service.name) } } },
      steps: [
        { name: 'Checkout', uses: CHECKOUT },
        awsCredentials(roles.imagePushRoleArn, config.primaryRegion, 'images'),
        {
          name: 'Build and push',
          env: {
            SERVICE: '${{ matrix.service }}',
            IMAGE: `${registry}/${config.clusterName}/\${{ matrix.service }}:\${{ github.sha }}`,
          },
          run: [
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
        ...NODE_SETUP,
        {
          name: 'Bump the image tags',
          env: { TAG: '${{ github.sha }}', SERVICES: config.services.map((service) => service.name).join(' ') },
          run: 'npx projen set-image-tags',
        },
        { name: 'Render gitops/', run: 'npx projen gitops' },
        {
          name: 'Commit and push',
          run: [
            'git config user.name "github-actions[bot]"',
            'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
            'git add src/gitops/image-tags.json gitops',
            'git diff --cached --quiet || git commit -m "chore(images): deploy ${{ github.sha }}"',
            'git push',
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
    push: { branches: ['main'], paths: ['src/**', '!src/gitops/**', 'cdk.json', 'package.json', '.projenrc.ts'] },
    workflowDispatch: {},
  });
  const read = { idToken: github.workflows.JobPermission.WRITE, contents: github.workflows.JobPermission.READ };
  workflow.addJobs({
    diff: {
      runsOn: ['ubuntu-latest'],
      permissions: read,
      steps: [...NODE_SETUP, awsCredentials(roles.deployRoleArn, config.primaryRegion, 'diff'), { name: 'Diff', run: 'npx cdk diff --all' }],
    },
    deploy: {
      needs: ['diff'],
      runsOn: ['ubuntu-latest'],
      // The environment's required reviewers approve each deploy (Settings > Environments).
      environment: roles.deployEnvironment,
      permissions: read,
      concurrency: { group: 'deploy', cancelInProgress: false },
      steps: [
        ...NODE_SETUP,
        awsCredentials(roles.deployRoleArn, config.primaryRegion, 'deploy'),
        { name: 'Deploy', run: 'npx cdk deploy --all --require-approval never' },
      ],
    },
  });
}
