import { DEPLOY_TIME_VALUE, StackInput, joinedString, templateObjects } from '../../src/report/private/inputs';
import { clusterStacks, helmRelease, installedNamespaces, resourcesOfType } from '../../src/report/private/platform';
import { synthesizeExample } from '../report/example-output';

/**
 * Follows the failover and failback runbooks as an operator would, against
 * the templates that name their resources: every schedule, location, bucket
 * and key a command uses exists in the region it runs in, the role that runs
 * it may read it, and no restore reaches the objects each region owns.
 */
describe('the failover and failback runbooks, followed against the synthesized example', () => {
  const example = synthesizeExample();
  const runbook = (name: string) => example.runbooks.find((r) => r.fileName === name)!.markdown;
  const stack = (name: string) => example.stacks.find((s) => s.name === name)!;
  const cluster = (name: string) => clusterStacks(example.stacks).find((c) => c.stack.name === name)!;
  const primary = cluster('ShopPlatform');
  const standby = cluster('ShopPlatformStandby');
  const accountBucket = (text: string) => text.replace('$ACCOUNT_ID', DEPLOY_TIME_VALUE);

  const schedules = (s: StackInput) => templateObjects(s).map((o) => o.object).filter((o) => o.kind === 'Schedule');
  const locations = (name: string) => helmRelease(cluster(name), 'velero')!.values.configuration.backupStorageLocation as any[];
  /** The statements of the Velero role's policy, resources as strings (deploy-time parts replaced). */
  const veleroStatements = (s: StackInput) => resourcesOfType(s, 'AWS::IAM::Policy').filter(([id]) => id.includes('VeleroRole'))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[])
    .map((statement) => ({
      ...statement,
      actions: [statement.Action].flat(),
      resources: [statement.Resource].flat().map((r: any) => joinedString(r) ?? DEPLOY_TIME_VALUE),
    }));
  /** Whether the role may do `action` on the resource (an object ARN or a bucket ARN), by its statements' wildcards. */
  const allows = (s: StackInput, action: string, arn: string) => veleroStatements(s).some((statement) => statement.actions.includes(action) &&
    statement.resources.some((resource: string) => new RegExp(`^${resource.split(DEPLOY_TIME_VALUE).map((part) => part.split('*').map(escape).join('.*')).join('.+')}$`).test(arn)));
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  /** Checks one restore: the location it reads, the schedule its backups come from, the bucket and key behind them. */
  const followRestore = (markdown: string, where: StackInput, location: string, prefix: string) => {
    const found = locations(where.name).find((l) => l.name === location);
    expect(found).toMatchObject({ accessMode: 'ReadOnly', prefix });
    const replica = resourcesOfType(stack('ShopRecoveryRegion'), 'AWS::S3::Bucket')
      .map(([, b]) => joinedString(b.Properties.BucketName)).find((name) => name?.startsWith('shop-velero-'))!;
    expect(found.bucket).toBe(replica);
    expect(markdown).toContain(`\`${replica.replace(DEPLOY_TIME_VALUE, '$ACCOUNT_ID')}\``);
    expect(allows(where, 's3:ListBucket', `arn:${DEPLOY_TIME_VALUE}:s3:::${replica}`)).toBe(true);
    expect(allows(where, 's3:GetObject', `arn:${DEPLOY_TIME_VALUE}:s3:::${replica}/${prefix}/backups/x/x.tar.gz`)).toBe(true);
    expect(veleroStatements(where).some((s) => s.actions.includes('kms:Decrypt') && s.Condition?.['ForAnyValue:StringEquals']?.['kms:ResourceAliases'] === 'alias/shop-velero'))
      .toBe(true);
    // A restore brings back the services' volumes only, never updating what exists.
    const restores = [...markdown.matchAll(/velero --namespace velero restore create [^\n]*/g)].map((m) => m[0]);
    expect(restores.length).toBeGreaterThan(0);
    for (const restore of restores) {
      expect(restore).toContain('--include-resources persistentvolumeclaims,persistentvolumes');
      expect(restore).not.toContain('--existing-resource-policy update');
    }
  };

  test('failover: the standby reads the primary\'s replicated backups of the services\' schedule, and nothing of the platform', () => {
    const markdown = runbook('failover.md');
    followRestore(markdown, standby.stack, 'primary', 'eu-west-1');
    expect(accountBucket('shop-velero-eu-central-1-$ACCOUNT_ID')).toBe(locations('ShopPlatformStandby').find((l) => l.name === 'primary').bucket);
    const scheduleName = /velero\.io\/schedule-name"\]=="([a-z-]+)"/.exec(markdown)![1];
    // The schedule it restores from is the primary's (the backups are written there), and leaves out every namespace either region installs into.
    const schedule = schedules(primary.stack).find((s) => s.metadata.name === scheduleName)!;
    expect(schedule).toBeDefined();
    const excluded: string[] = schedule.spec.template.excludedNamespaces;
    for (const ns of new Set([...installedNamespaces(primary), ...installedNamespaces(standby)])) expect(excluded).toContain(ns);
    expect(schedule.spec.template.includeClusterResources).not.toBe(true);
  });

  test('failback: the primary reads the recovery region\'s final backup, taken with the services\' schedule\'s scope', () => {
    const markdown = runbook('failback.md');
    followRestore(markdown, primary.stack, 'recovery', 'eu-central-1');
    const fromSchedule = /backup create failback-\$\(date [^)]*\) --from-schedule ([a-z-]+)/.exec(markdown)![1];
    expect(schedules(standby.stack).map((s) => s.metadata.name)).toContain(fromSchedule);
    // The final backup is written where the primary's location reads: the standby's default location, same bucket and prefix.
    const standbyDefault = locations('ShopPlatformStandby').find((l) => l.default);
    const recovery = locations('ShopPlatform').find((l) => l.name === 'recovery');
    expect({ bucket: recovery.bucket, prefix: recovery.prefix }).toEqual({ bucket: standbyDefault.bucket, prefix: standbyDefault.prefix });
  });

  /** The Region switch plans of the templates, by name, with the stack that owns them. */
  const plans = () => example.stacks.flatMap((s) => resourcesOfType(s, 'AWS::ARCRegionSwitch::Plan').map(([, plan]) => ({ stack: s, plan })));
  const roleNamed = (s: StackInput, name: string) => resourcesOfType(s, 'AWS::IAM::Role').find(([, role]) => role.Properties.RoleName === name);
  /** Every step name of a plan's workflow activating a region, parallel steps' children included. */
  const stepNames = (plan: any, region: string) => {
    const names = (steps: any[]): string[] => steps.flatMap((s) => [s.Name, ...names(s.ExecutionBlockConfiguration.ParallelConfig?.Steps ?? [])]);
    return names(plan.Properties.Workflows.find((w: any) => w.WorkflowTargetRegion === region).Steps);
  };

  test.each([
    ['failover.md', 'shop-dr', 'eu-central-1'],
    ['failback.md', 'shop-dr', 'eu-west-1'],
    ['region-drill.md', 'shop-drill', 'eu-central-1'],
  ])('%s drives a plan of the standby\'s stack: its name, the region it activates, the step it approves, the role that approves', (file, planName, region) => {
    const markdown = runbook(file);
    const named = [...markdown.matchAll(/plans\[\?name=='([a-z-]+)'\]/g)].map((m) => m[1]);
    expect(named).toContain(planName);
    for (const name of named) expect(plans().map((p) => p.plan.Properties.Name)).toContain(name);
    const { stack: owner, plan } = plans().find((p) => p.plan.Properties.Name === planName)!;
    expect(owner.name).toBe('ShopPlatformStandby');
    // Executed from the data plane of the region it activates, and that region is one the plan activates.
    const started = [...markdown.matchAll(/--region ([a-z0-9-]+) start-plan-execution [^\n]*--target-region ([a-z0-9-]+) --action activate/g)];
    expect(started.map((m) => [m[1], m[2]])).toEqual([[region, region]]);
    expect(plan.Properties.Workflows.map((w: any) => w.WorkflowTargetRegion)).toContain(region);
    // Every step it approves is an approval of that workflow, assumed through the plan's approval role.
    const approved = [...markdown.matchAll(/--step-name ([a-z-]+)/g)].map((m) => m[1]);
    expect(approved.length).toBeGreaterThan(0);
    const workflow = plan.Properties.Workflows.find((w: any) => w.WorkflowTargetRegion === region);
    for (const step of approved) {
      const found = workflow.Steps.find((s: any) => s.Name === step);
      expect(found.ExecutionBlockType).toBe('ManualApproval');
      const [roleId] = roleNamed(owner, /role\/([a-z-]+)"/.exec(markdown)![1])!;
      expect(found.ExecutionBlockConfiguration.ExecutionApprovalConfig.ApprovalRole).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
    // Every step the runbook names in backticks is one of the workflow's.
    const mentioned = [...markdown.matchAll(/`((?:approve|scale|dns)-[a-z-]+)`/g)].map((m) => m[1]);
    for (const step of mentioned) expect(stepNames(plan, region)).toContain(step);
  });

  test('the role the runbooks name as running the plan is the plans\' execution role, and both clusters let it scale the services', () => {
    const name = /run by the role `([a-z-]+)`/.exec(runbook('failover.md'))![1];
    const [roleId] = roleNamed(standby.stack, name)!;
    for (const { plan } of plans()) expect(plan.Properties.ExecutionRole).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    const scalingEntry = (s: StackInput) => resourcesOfType(s, 'AWS::EKS::AccessEntry').map(([, e]) => e.Properties)
      .find((e) => JSON.stringify(e.AccessPolicies ?? []).includes('AmazonARCRegionSwitchScalingPolicy'));
    expect(scalingEntry(standby.stack).PrincipalArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(joinedString(scalingEntry(primary.stack).PrincipalArn)).toBe(`arn:${DEPLOY_TIME_VALUE}:iam::${DEPLOY_TIME_VALUE}:role/${name}`);
  });

  test('every schedule the runbooks pause or unpause exists in the region it runs in', () => {
    const patched = (markdown: string) => [...markdown.matchAll(/kubectl( --context standby)? -n velero patch schedule ([a-z-]+)/g)].map((m) => m[2]);
    const standbyNames = schedules(standby.stack).map((s) => s.metadata.name);
    expect(patched(runbook('failover.md')).sort()).toEqual([...standbyNames].sort());
    expect(patched(runbook('failback.md')).sort()).toEqual([...standbyNames].sort());
    expect(schedules(standby.stack).every((s) => s.spec.paused === true)).toBe(true);
  });

  test('every autoscaler the runbooks give their scale-down back is one the services run, with the policy HaMicroservice sets', () => {
    const patched = (markdown: string) => [...markdown.matchAll(/for SERVICE in ([a-z -]+); do\n {2}kubectl( --context [a-z]+)? -n ([a-z-]+) patch hpa "\$SERVICE" --type merge -p '(.+)'/g)]
      .map((m) => ({ services: m[1].split(' '), context: m[2]?.trim() ?? '(current: standby)', namespace: m[3], patch: JSON.parse(m[4]) }));
    const hpas = example.manifests.map((o) => o.object).filter((o) => o.kind === 'HorizontalPodAutoscaler');
    const failover = patched(runbook('failover.md'));
    const failback = patched(runbook('failback.md'));
    // The failover's new primary sizes itself again; failback gives both regions theirs back.
    expect(failover.map((p) => p.context)).toEqual(['(current: standby)']);
    expect(failback.map((p) => p.context)).toEqual(['--context standby', '--context primary']);
    for (const { services, namespace, patch } of [...failover, ...failback]) {
      for (const service of services) {
        const hpa = hpas.find((o) => o.metadata.name === service && o.metadata.namespace === namespace);
        expect({ service, namespace, found: hpa !== undefined }).toEqual({ service, namespace, found: true });
        expect(patch.spec.behavior.scaleDown.selectPolicy).toBe(hpa!.spec.behavior.scaleDown.selectPolicy);
      }
    }
  });

  test('failback returns the pilot light\'s root Application to waiting for an operator, as the next failover expects', () => {
    const root = templateObjects(standby.stack).map((o) => o.object).find((o) => o.kind === 'Application' && o.metadata.name === 'root');
    expect(root!.spec.syncPolicy.automated).toBeUndefined();
    expect(runbook('failover.md')).toContain('kubectl -n argocd patch application root --type merge');
    expect(runbook('failback.md')).toContain('kubectl --context standby -n argocd patch application root --type json -p \'[{"op":"remove","path":"/spec/syncPolicy/automated"}]\'');
  });
});
