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

  test('every schedule the runbooks pause or unpause exists in the region it runs in', () => {
    const patched = (markdown: string) => [...markdown.matchAll(/kubectl( --context standby)? -n velero patch schedule ([a-z-]+)/g)].map((m) => m[2]);
    const standbyNames = schedules(standby.stack).map((s) => s.metadata.name);
    expect(patched(runbook('failover.md')).sort()).toEqual([...standbyNames].sort());
    expect(patched(runbook('failback.md')).sort()).toEqual([...standbyNames].sort());
    expect(schedules(standby.stack).every((s) => s.spec.paused === true)).toBe(true);
  });
});
