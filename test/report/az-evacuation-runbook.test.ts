import { reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { clusterStacks, helmRelease, resourcesOfType } from '../../src/report/private/platform';

/**
 * Follows the az-evacuation runbook as an operator would, against the
 * templates and manifests that name its resources: every identifier a command
 * uses must exist, and every resource it shifts must accept the shift.
 */
describe('the az-evacuation runbook, followed against the synthesized example', () => {
  const example = synthesizeExample();
  const runbook = example.runbooks.find((r) => r.fileName === 'az-evacuation.md')!.markdown;
  const primary = clusterStacks(example.stacks).find((c) => c.stack.name === 'ShopPlatform')!;

  test('the zone it sets is one of the cluster\'s zones', () => {
    const zone = /^ZONE=(\S+)$/m.exec(runbook)![1];
    expect(primary.zones).toContain(zone);
  });

  test('the cluster ARN it shifts names the cluster, in its region, with zonal shift enabled', () => {
    const [, region, name] = /--resource-identifier "arn:aws:eks:([a-z0-9-]+):\$ACCOUNT_ID:cluster\/([^"]+)"/.exec(runbook)!;
    expect(region).toBe(primary.stack.region);
    expect(name).toBe(primary.clusterName);
    expect(primary.zonalShift).toBe(true);
  });

  test('the ALBs it finds by tag are the Load Balancer Controller\'s, and each accepts the shift', () => {
    const tag = /--tag-filters Key=elbv2\.k8s\.aws\/cluster,Values=(\S+)/.exec(runbook)![1];
    expect(helmRelease(primary, 'aws-load-balancer-controller')!.values.clusterName).toBe(tag);
    const report = reportOf(example);
    expect(row(report, 'az-evacuation', 'shop/Ingress/frontend').status).toBe(RowStatus.PASS);
    expect(row(report, 'az-evacuation', primary.subject).status).toBe(RowStatus.PASS);
  });

  test('every drill it starts is an FIS experiment template of the stack, by its Name tag', () => {
    const names = [...runbook.matchAll(/tags\.Name=='([^']+)'/g)].map((m) => m[1]);
    const templates = resourcesOfType(primary.stack, 'AWS::FIS::ExperimentTemplate').map(([, t]) => t.Properties.Tags?.Name);
    expect(names.length).toBeGreaterThan(0);
    expect(templates).toEqual(expect.arrayContaining(names));
  });
});
