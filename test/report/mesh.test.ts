import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const FRONTEND = 'shop/Deployment/frontend';

describe('the mesh check of the rollout row, in ambient and sidecar mode', () => {
  const example = synthesizeExample();
  type Copy = Parameters<NonNullable<Parameters<typeof reportOf>[1]>>[0];
  /** frontend's pods moved from ambient to another enrolment, and frontend's PERMISSIVE ports dropped. */
  const strictFrontend = (enrol: (namespaceLabels: any, podLabels: any) => void) => row(reportOf(example, (copy: Copy) => {
    const labels = object(copy.manifests, 'Namespace', 'shop').metadata.labels;
    const podLabels = object(copy.manifests, 'Deployment', 'frontend').spec.template.metadata.labels;
    delete labels['istio.io/dataplane-mode'];
    delete podLabels['istio.io/dataplane-mode'];
    enrol(labels, podLabels);
    object(copy.manifests, 'PeerAuthentication', 'frontend').spec.portLevelMtls = {};
  }), 'rollout-no-drop', FRONTEND);

  test('ambient on the example: the ALB\'s ports are PERMISSIVE', () => {
    expect(row(reportOf(example), 'rollout-no-drop', FRONTEND).arithmetic).toMatch(/health-check port \d+ is PERMISSIVE in the mesh \(ambient\)/);
  });

  test('a namespace with sidecar injection enforces STRICT on the ALB\'s health checks too', () => {
    const broken = strictFrontend((labels) => { labels['istio-injection'] = 'enabled'; });
    expect(broken.status).toBe(RowStatus.FAIL);
    expect(broken.arithmetic).toContain('is STRICT in the mesh (sidecar)');
  });

  test('a revision label injects sidecars; the pod label sidecar.istio.io/inject opts in or out', () => {
    expect(strictFrontend((labels) => { labels['istio.io/rev'] = 'stable'; }).status).toBe(RowStatus.FAIL);
    expect(strictFrontend((_, pod) => { pod['sidecar.istio.io/inject'] = 'true'; }).status).toBe(RowStatus.FAIL);
    expect(strictFrontend((labels, pod) => { labels['istio-injection'] = 'enabled'; pod['sidecar.istio.io/inject'] = 'false'; }).status).toBe(RowStatus.PASS);
  });

  test('out of the mesh, mesh policies do not apply', () => {
    const outside = strictFrontend(() => {});
    expect(outside.status).toBe(RowStatus.PASS);
    expect(outside.arithmetic).not.toContain('in the mesh');
  });
});
