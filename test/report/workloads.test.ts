import { failing, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { SourcedObject } from '../../src/report/private/inputs';
import { tolerationSeconds } from '../../src/report/private/pod-facts';
import { servingContainer, workloads } from '../../src/report/private/workloads';

const FRONTEND = 'shop/Deployment/frontend';
const CHECKOUT = 'shop/Deployment/checkout';

/** A log shipper as a first container: no port, no readiness probe, no preStop. */
const SHIPPER = { name: 'log-shipper', image: 'public.ecr.aws/example/fluent-bit:3.0', resources: { requests: { cpu: '50m', memory: '64Mi' } } };

const example = synthesizeExample();
const podSpecOf = (manifests: SourcedObject[], name: string) => object(manifests, 'Deployment', name).spec.template.spec;

describe('the serving container', () => {

  test('a sidecar listed before the app container is not judged in its place: only its own missing preStop sleep fails', () => {
    const report = reportOf(example, (copy) => { podSpecOf(copy.manifests, 'frontend').containers.unshift(SHIPPER); });
    expect(failing(report)).toEqual([`rollout-no-drop ${FRONTEND}`]);
    expect(row(report, 'rollout-no-drop', FRONTEND).arithmetic).toContain('✗ container log-shipper (beside serving container frontend, it gets SIGTERM when its own preStop ends)');
    expect(row(report, 'rollout-no-drop', FRONTEND).arithmetic).toContain('serving container frontend: readiness probe present');
    expect(row(report, 'node-loss', FRONTEND).arithmetic).toContain('serving container frontend: readiness probe present');
  });

  test('a preStop on the sidecar does not stand for the app container\'s', () => {
    const report = reportOf(example, (copy) => {
      const spec = podSpecOf(copy.manifests, 'frontend');
      const lifecycle = spec.containers[0].lifecycle;
      delete spec.containers[0].lifecycle;
      spec.containers.unshift({ ...SHIPPER, lifecycle });
    });
    const rollout = row(report, 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.arithmetic).toContain('✗ container frontend: preStop sleep 0 s >= 15 s');
    expect(rollout.fix).toContain('sleep at least 15 s in a preStop hook of container frontend');
  });

  test('the slowest container to Ready sets when a replacement serves', () => {
    const report = reportOf(example, (copy) => {
      podSpecOf(copy.manifests, 'frontend').containers.push({ ...SHIPPER, readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 30, periodSeconds: 10 } });
    });
    const nodeLoss = row(report, 'node-loss', FRONTEND);
    expect(nodeLoss.status).toBe(RowStatus.FAIL);
    expect(nodeLoss.arithmetic).toContain('40 readiness probe (container log-shipper)');
  });

  describe('which container it is', () => {
    const pod = (spec: any, service?: any) => workloads([
      { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec } } }, source: 'test' },
      ...(service ? [{ object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ...service } }, source: 'test' }] : []),
    ])[0];
    const app = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { port: 8080 } } };
    const proxy = { name: 'proxy', ports: [{ name: 'https', containerPort: 8443 }] };

    test('the owner of the Service targetPort, by name or number, wherever it is listed', () => {
      expect(servingContainer(pod({ containers: [proxy, app] }, { ports: [{ port: 80, targetPort: 'http' }] })).name).toBe('app');
      expect(servingContainer(pod({ containers: [app, proxy] }, { ports: [{ port: 443, targetPort: 8443 }] })).name).toBe('proxy');
    });

    test('a native sidecar only when it owns the port', () => {
      const sidecar = { ...proxy, restartPolicy: 'Always' };
      expect(servingContainer(pod({ initContainers: [sidecar], containers: [{ ...app, ports: [] }] }, { ports: [{ port: 443, targetPort: 'https' }] })).name).toBe('proxy');
      expect(servingContainer(pod({ initContainers: [sidecar], containers: [app] }, { ports: [{ port: 80, targetPort: 8080 }] })).name).toBe('app');
    });

    test('an undeclared port: the container whose readiness probe checks it; without a Service: the one with a readiness probe', () => {
      expect(servingContainer(pod({ containers: [SHIPPER, { ...app, ports: [] }] }, { ports: [{ port: 80, targetPort: 8080 }] })).name).toBe('app');
      expect(servingContainer(pod({ containers: [SHIPPER, { ...app, ports: [] }] })).name).toBe('app');
      expect(servingContainer(pod({ containers: [SHIPPER, { name: 'plain' }] })).name).toBe('log-shipper');
    });
  });
});

describe('rollout capacity with a percentage maxUnavailable', () => {
  const rollout = (name: string, rollingUpdate: any) => row(reportOf(example, (copy) => {
    object(copy.manifests, 'Deployment', name).spec.strategy.rollingUpdate = rollingUpdate;
  }), 'rollout-no-drop', `shop/Deployment/${name}`);

  test('10% rounds down to 0 at every count of 3-9 replicas: no pod goes before its replacement is ready', () => {
    const frontend = rollout('frontend', { maxUnavailable: '10%', maxSurge: '25%' });
    expect(frontend.status).toBe(RowStatus.PASS);
    expect(frontend.arithmetic).toContain('maxUnavailable 10%, maxSurge 25% at 3-9 replicas: 0 unavailable at every count (floor(10% x 9) = 0)');
  });

  test('10% lets one pod go from 10 replicas, which the HPA of 6-24 reaches', () => {
    const checkout = rollout('checkout', { maxUnavailable: '10%', maxSurge: '25%' });
    expect(checkout.status).toBe(RowStatus.FAIL);
    expect(checkout.arithmetic).toContain('at 10 floor(10% x 10) = 1 pod(s) may be unavailable');
    expect(checkout.fix).toContain('maxUnavailable: 0');
  });

  test('when both round to 0, Kubernetes lets one pod be unavailable', () => {
    const frontend = rollout('frontend', { maxUnavailable: '10%', maxSurge: '0%' });
    expect(frontend.status).toBe(RowStatus.FAIL);
    expect(frontend.arithmetic).toContain('at 3 both round to 0, so Kubernetes lets 1 pod be unavailable');
  });
});

describe('tolerations of the unreachable taint', () => {
  const nodeLoss = (tolerations: (current: any[]) => any[]) => row(reportOf(example, (copy) => {
    const spec = podSpecOf(copy.manifests, 'checkout');
    spec.tolerations = tolerations(spec.tolerations);
  }), 'node-loss', CHECKOUT);
  const EVERYTHING = { operator: 'Exists' };

  test('a tolerate-everything toleration listed first does not hide the 30 s one: the shortest finite one applies', () => {
    const judged = nodeLoss((current) => [EVERYTHING, ...current]);
    expect(judged.status).toBe(RowStatus.PASS);
    expect(judged.arithmetic).toContain('unreachable toleration 30 s');
  });

  test('of two finite ones, the shorter applies', () => {
    const judged = nodeLoss((current) => [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, ...current]);
    expect(judged.status).toBe(RowStatus.PASS);
    expect(judged.arithmetic).toContain('30 unreachable tolerationSeconds');
  });

  test('only tolerations without seconds: never evicted', () => {
    const judged = nodeLoss(() => [EVERYTHING]);
    expect(judged.status).toBe(RowStatus.FAIL);
    expect(judged.arithmetic).toContain('tolerate node.kubernetes.io/unreachable for ever');
  });

  test('the rules of the taint eviction controller and the admission default', () => {
    const taint = 'node.kubernetes.io/unreachable';
    expect(tolerationSeconds({ tolerations: [] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: 'other', operator: 'Exists' }] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, taint)).toBeUndefined();
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', tolerationSeconds: 60 }, { operator: 'Exists', tolerationSeconds: 20 }] }, taint)).toBe(20);
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Exists', tolerationSeconds: -5 }, { operator: 'Exists' }] }, taint)).toBe(0);
    // Named but not matching (a value the taint does not have): the admission plugin adds no default and nothing tolerates it.
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Equal', value: 'yes', tolerationSeconds: 60 }] }, taint)).toBe(0);
    expect(tolerationSeconds({ tolerations: [{ key: taint, operator: 'Equal', tolerationSeconds: 45 }] }, taint)).toBe(45);
  });
});

describe('workloads the report does not model as Deployments', () => {
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'x' }] } };
  const add = (...objects: any[]) => reportOf(example, (copy) => {
    copy.manifests.push(...objects.map((o) => ({ object: { ...o, metadata: { namespace: 'shop', ...o.metadata }, spec: o.spec ?? { template } }, source: 'extra.yaml' })));
  });

  test('a StatefulSet fails, naming itself and the fix', () => {
    const report = add({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' } });
    expect(row(report, 'workload-modelled', 'shop/StatefulSet/db')).toMatchObject({
      status: RowStatus.FAIL,
      arithmetic: '✗ the report models Deployments only: StatefulSet db is not judged for zone loss, node loss, rollouts or disruption',
      fix: expect.stringContaining('run it as a Deployment, or accept this row with the reason'),
      evidence: 'StatefulSet/db (extra.yaml)',
    });
    expect(report.passed).toBe(false);
  });

  test('accepted by annotation on the object, it shows as ACCEPTED', () => {
    const report = add({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', annotations: { 'resilience.resilient-eks.dev/accept.workload-modelled': 'judged by hand' } } });
    expect(row(report, 'workload-modelled', 'shop/StatefulSet/db')).toMatchObject({ status: RowStatus.ACCEPTED, acceptedReason: 'judged by hand' });
    expect(report.passed).toBe(true);
  });

  test('bare Pods, bare ReplicaSets and Argo Rollouts fail; owned ones are their owner\'s', () => {
    const report = add(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: template.spec },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'bare' } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'owned', ownerReferences: [{ kind: 'Deployment', name: 'frontend' }] } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'canary' } },
    );
    expect(failing(report)).toEqual(['workload-modelled shop/Pod/debug', 'workload-modelled shop/ReplicaSet/bare', 'workload-modelled shop/Rollout/canary']);
  });

  test('DaemonSets, Jobs and CronJobs do not apply, and say why', () => {
    const report = add(
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
    );
    expect(row(report, 'workload-modelled', 'shop/DaemonSet/agent')).toMatchObject({ status: RowStatus.NOT_APPLICABLE, arithmetic: expect.stringContaining('one pod on each node by design') });
    expect(row(report, 'workload-modelled', 'shop/Job/migrate')).toMatchObject({ status: RowStatus.NOT_APPLICABLE, arithmetic: expect.stringContaining('runs to completion') });
    expect(row(report, 'workload-modelled', 'shop/CronJob/report').status).toBe(RowStatus.NOT_APPLICABLE);
    expect(report.passed).toBe(true);
  });

  test('a StatefulSet a platform template applies is judged too (the add-on rows cover Helm releases only)', () => {
    const report = reportOf(example, (copy) => {
      const stack = copy.stacks.find((s) => s.name === 'ShopPlatform')!;
      stack.template.Resources.ExtraManifest = {
        Type: 'Custom::AWSCDK-EKS-KubernetesResource',
        Properties: { Manifest: JSON.stringify([{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', namespace: 'kube-system' }, spec: { template } }]) },
      };
    });
    expect(row(report, 'workload-modelled', 'kube-system/StatefulSet/cache')).toMatchObject({ status: RowStatus.FAIL, evidence: 'StatefulSet/cache (ShopPlatform/ExtraManifest)' });
  });
});
