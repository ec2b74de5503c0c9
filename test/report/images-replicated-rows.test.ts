import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

describe('dr-images-replicated: every image the services run is copied to the recovery region', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  const primary = (copy: Copy) => copy.stacks.find((s) => s.name === 'ShopPlatform')!;
  const images = (mutate?: (copy: Copy) => void) => row(reportOf(example, mutate), 'dr-images-replicated', 'ShopPlatform');
  const replication = (copy: Copy) => Object.values<any>(primary(copy).template.Resources).find((r) => r.Type === 'AWS::ECR::ReplicationConfiguration');

  test('passes on the example: each service repository to the standby\'s region, and says its age is not claimed', () => {
    const passing = images();
    expect(passing.status).toBe(RowStatus.PASS);
    for (const service of ['cart', 'catalog', 'checkout', 'frontend', 'payments']) expect(passing.arithmetic).toContain(`✓ shop/${service} replicated to eu-central-1`);
    expect(passing.arithmetic).toContain('age not claimed: AWS documents no time within which ECR replicates an image');
    expect(row(reportOf(example), 'dr-images-replicated', 'ShopPlatformStandby').status).toBe(RowStatus.NOT_APPLICABLE);
  });

  test('without the registry\'s replication configuration no image reaches the recovery region', () => {
    const broken = images((copy) => {
      const resources = primary(copy).template.Resources;
      delete resources[Object.keys(resources).find((id) => resources[id].Type === 'AWS::ECR::ReplicationConfiguration')!];
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('✗ shop/frontend replicated to no other region');
    expect(broken.fix).toContain('replicate shop/frontend to eu-central-1: an AWS::ECR::ReplicationConfiguration rule');
  });

  test('replicating to a region the standby does not run in fails: the standby could not pull', () => {
    const broken = images((copy) => { replication(copy).Properties.ReplicationConfiguration.Rules[0].Destinations[0].Region = 'us-east-1'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('✗ shop/cart replicated to us-east-1');
  });

  test('a workload pulling from a repository outside the replicated prefix fails, by name', () => {
    const broken = images((copy) => {
      object(copy.manifests, 'Deployment', 'cart').spec.template.spec.containers[0].image = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/tools/cart:3.2.0';
    });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('✗ tools/cart replicated to no other region');
    expect(broken.arithmetic).toContain('✓ shop/cart replicated to eu-central-1');
  });

  test('an image from another region\'s registry is not this registry\'s to replicate', () => {
    const passing = images((copy) => {
      object(copy.manifests, 'Deployment', 'cart').spec.template.spec.containers[0].image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/tools/cart:3.2.0';
    });
    expect(passing.status).toBe(RowStatus.PASS);
    expect(passing.arithmetic).not.toContain('tools/cart');
  });
});
