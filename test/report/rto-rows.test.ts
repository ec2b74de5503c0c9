import { reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { StackInput } from '../../src/report/private/inputs';

describe('dr-rto: service resumes from the recovery region within the RTO', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const stack = (copy: Copy, name: string) => copy.stacks.find((s) => s.name === name)!;
  const failoverPlan = (s: StackInput) => Object.values<any>(s.template.Resources)
    .find((r) => r.Type === 'AWS::ARCRegionSwitch::Plan' && r.Properties.Name === 'shop-dr');
  const failoverSteps = (s: StackInput) => failoverPlan(s).Properties.Workflows.find((w: any) => w.WorkflowTargetRegion === 'eu-central-1').Steps;
  /** The primary's health check of its failover record, changed. */
  const primaryHealthCheck = (change: (config: any) => void) => (copy: Copy) => {
    const check = Object.values<any>(stack(copy, 'ShopPlatform').template.Resources).find((r) => r.Type === 'AWS::Route53::HealthCheck');
    change(check.Properties.HealthCheckConfig);
  };
  const primaryRecord = (copy: Copy) =>
    Object.values<any>(stack(copy, 'ShopPlatform').template.Resources).find((r) => r.Type === 'AWS::Route53::RecordSet' && r.Properties.Failover === 'PRIMARY');

  test('passes in both regions of the example: the plan\'s failover steps fill what detection leaves of the hour', () => {
    const report = reportOf(example);
    for (const subject of ['ShopPlatform', 'ShopPlatformStandby']) {
      const rto = row(report, 'dr-rto', subject);
      expect(rto.status).toBe(RowStatus.PASS);
      expect(rto.arithmetic).toContain('Plan shop-dr (ShopPlatformStandby) failover steps approve-failover 45 + scale-failover 10');
      expect(rto.arithmetic).toContain('vs RTO 60 min');
    }
  });

  test('detection is the PRIMARY record\'s calculated health check, its slowest child 30 s x 3, + its TTL of 60 s: 2.5 + 57 = 59.5 min', () => {
    const rto = row(reportOf(example), 'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.PASS);
    expect(rto.arithmetic).toContain('detection 2.5 min (www.shop.example.com.: calculated, slowest child 90 s + TTL 60 s)');
    expect(rto.arithmetic).toContain('dns-failover-www-shop-example-com 2 = 59.5 min vs RTO 60 min');
  });

  test('a health check threshold too high fails: 30 s x 10 + 60 s is 6 min of detection, 3.5 more than the budget left', () => {
    const rto = row(reportOf(example, primaryHealthCheck((config) => { config.FailureThreshold = 10; })), 'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.FAIL);
    expect(rto.arithmetic).toContain('= 63 min vs RTO 60 min');
    expect(rto.fix).toContain('health checks\' interval x threshold');
  });

  test('a PRIMARY record without a health check fails: nothing bounds detection', () => {
    const rto = row(reportOf(example, (copy) => { delete primaryRecord(copy).Properties.HealthCheckId; }), 'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.FAIL);
    expect(rto.fix).toContain('give www.shop.example.com. a Route 53 health check');
  });

  test('a step timeout too long fails', () => {
    const rto = row(reportOf(example, (copy) => {
      failoverSteps(stack(copy, 'ShopPlatformStandby'))[0].ExecutionBlockConfiguration.ExecutionApprovalConfig.TimeoutMinutes = 60;
    }), 'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.FAIL);
    expect(rto.arithmetic).toContain('approve-failover 60 + scale-failover 10 + dns-failover-www-shop-example-com 2 = 74.5 min vs RTO 60 min');
  });

  test('a step without a timeout counts Region switch\'s default of 60 minutes', () => {
    const rto = row(reportOf(example, (copy) => {
      delete failoverSteps(stack(copy, 'ShopPlatformStandby'))[1].ExecutionBlockConfiguration.EksResourceScalingConfig.TimeoutMinutes;
    }), 'dr-rto', 'ShopPlatformStandby');
    expect(rto.status).toBe(RowStatus.FAIL);
    expect(rto.arithmetic).toContain('scale-failover 60');
  });

  test('no plan fails, in both regions', () => {
    const report = reportOf(example, (copy) => {
      const resources = stack(copy, 'ShopPlatformStandby').template.Resources;
      for (const [id, resource] of Object.entries<any>(resources)) if (resource.Type === 'AWS::ARCRegionSwitch::Plan') delete resources[id];
    });
    for (const subject of ['ShopPlatform', 'ShopPlatformStandby']) {
      const rto = row(report, 'dr-rto', subject);
      expect(rto.status).toBe(RowStatus.FAIL);
      expect(rto.arithmetic).toContain('no Region switch plan of shop covers');
    }
  });

  test('a plan whose recorded RTO differs from the platform\'s fails', () => {
    const rto = row(reportOf(example, (copy) => { failoverPlan(stack(copy, 'ShopPlatformStandby')).Properties.RecoveryTimeObjectiveMinutes = 120; }),
      'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.FAIL);
    expect(rto.fix).toContain('set RecoveryTimeObjectiveMinutes to 60');
  });

  test('not applicable without recovery targets', () => {
    const rto = row(reportOf(example, (copy) => {
      for (const s of copy.stacks) delete s.template.Metadata?.['resilient-eks']?.recovery;
    }), 'dr-rto', 'ShopPlatform');
    expect(rto.status).toBe(RowStatus.NOT_APPLICABLE);
  });
});
