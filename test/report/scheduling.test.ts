import * as path from 'path';
import { changeTemplateObject, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const FRONTEND = 'shop/Deployment/frontend';

type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];

/** The pod spec of a Deployment in the copied manifests. */
const podSpec = (copy: Copy, name = 'frontend') => object(copy.manifests, 'Deployment', name).spec.template.spec;
/** The pod's required node affinity. */
const required = (copy: Copy, name = 'frontend') => podSpec(copy, name).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;

/** The manifests as if read from a directory of a checkout of the GitOps repository. */
const readFrom = (directory: string) => (copy: Copy) => {
  copy.manifests.forEach((m) => { (m as any).source = path.join('/repo', directory, path.basename(m.source)); });
};

describe('which cluster\'s Argo CD syncs a manifest', () => {
  const example = synthesizeExample();

  test('an Application of another repository (gateway-api\'s config/crd) does not claim the GitOps repository\'s config/crd/', () => {
    const zoneLoss = row(reportOf(example, readFrom('config/crd')), 'zone-loss', FRONTEND);
    expect(zoneLoss.status).toBe(RowStatus.PASS);
    expect(zoneLoss.arithmetic).not.toContain('Argo CD syncs');
    expect(zoneLoss.arithmetic).toContain('zones from the clusters with a zone the pods name');
  });

  test('an Application of the GitOps repository claims its path, by whole directory names, unless it installs a Helm chart', () => {
    const standbyApp = (change: (source: any) => void) => (copy: Copy) => {
      readFrom('gitops/eu-central-1/shop')(copy);
      changeTemplateObject(copy.stacks.find((s) => s.name === 'ShopPlatform')!, 'Application', 'gateway-api-crds', (app) => {
        app.spec.source.repoURL = 'https://github.com/example/shop-gitops.git';
        change(app.spec.source);
      });
    };
    const claimed = row(reportOf(example, standbyApp((source) => { source.path = './gitops/eu-central-1/'; })), 'zone-loss', FRONTEND);
    expect(claimed.arithmetic).toContain('ShopPlatform runs it (its Argo CD syncs gitops/eu-central-1/, where the manifest was read)');
    const partial = row(reportOf(example, standbyApp((source) => { source.path = 'gitops/eu-central'; })), 'zone-loss', FRONTEND);
    expect(partial.arithmetic).not.toContain('ShopPlatform runs it');
    const chart = row(reportOf(example, standbyApp((source) => { source.path = 'gitops/eu-central-1'; source.chart = 'shop'; })), 'zone-loss', FRONTEND);
    expect(chart.arithmetic).not.toContain('ShopPlatform runs it');
  });
});

describe('where the pods can be scheduled', () => {
  const example = synthesizeExample();

  test('null lists in the affinity, spread and tolerations read as absent instead of crashing', () => {
    const report = reportOf(example, (copy) => {
      required(copy).nodeSelectorTerms = null;
      podSpec(copy, 'catalog').tolerations = null;
      podSpec(copy, 'cart').topologySpreadConstraints = [null, ...podSpec(copy, 'cart').topologySpreadConstraints];
      required(copy, 'checkout').nodeSelectorTerms[0].matchExpressions[0].values = null;
    });
    expect(row(report, 'zone-loss', FRONTEND).status).toBe(RowStatus.PASS);
    expect(row(report, 'zone-loss', 'shop/Deployment/cart').status).toBe(RowStatus.PASS);
  });
});
