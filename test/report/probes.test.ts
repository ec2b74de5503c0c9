import { failing, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { alwaysSucceeds } from '../../src/report/private/pod-facts';

const FRONTEND = 'shop/Deployment/frontend';
const CATALOG = 'shop/Deployment/catalog';

const example = synthesizeExample();
const podOf = (copy: { manifests: any[] }, name: string) => object(copy.manifests, 'Deployment', name).spec.template.spec;

describe('the readiness probe shows that the serving container can serve', () => {
  const probed = (readinessProbe: any, name = 'frontend') => reportOf(example, (copy) => { podOf(copy, name).containers[0].readinessProbe = readinessProbe; });

  test('an exec probe that always succeeds fails the rollout and node-loss rows, with the fix', () => {
    const report = probed({ exec: { command: ['true'] }, periodSeconds: 5 });
    expect(failing(report)).toEqual([`node-loss ${FRONTEND}`, `rollout-no-drop ${FRONTEND}`]);
    const rollout = row(report, 'rollout-no-drop', FRONTEND);
    expect(rollout.arithmetic).toContain('✗ serving container frontend: its readiness probe runs "true", which always succeeds: the pod is Ready before the served port 8080 answers');
    expect(rollout.fix).toContain('make the readiness probe of container frontend check the port it serves');
  });

  test('which exec commands always succeed', () => {
    for (const command of [['true'], ['/bin/true'], ['sh', '-c', 'exit 0'], ['/bin/sh', '-c', 'true; echo ready'], ['echo', 'ok'], [':']]) {
      expect(alwaysSucceeds(command)).toBe(true);
    }
    for (const command of [['cat', '/tmp/ready'], ['grpc_health_probe', '-addr=:8080'], ['sh', '-c', 'curl -fs localhost:8080/healthz'], ['sh', '-c', 'true && test -f /ready'], []]) {
      expect(alwaysSucceeds(command)).toBe(false);
    }
    expect(probed({ exec: { command: ['cat', '/tmp/ready'] } }, 'catalog').rows.filter((r) => r.subject === CATALOG && r.status === RowStatus.FAIL)).toEqual([]);
  });

  test('a port no container declares and that is not the served port fails; the served port, by number or name, passes', () => {
    const other = row(probed({ tcpSocket: { port: 9901 }, periodSeconds: 5 }), 'rollout-no-drop', FRONTEND);
    expect(other.status).toBe(RowStatus.FAIL);
    expect(other.arithmetic).toContain('its readiness probe checks port 9901, which no container declares and which is not the served port 8080');
    expect(row(probed({ tcpSocket: { port: 9901 } }), 'node-loss', FRONTEND).status).toBe(RowStatus.FAIL);
    expect(row(probed({ tcpSocket: { port: 8080 }, periodSeconds: 5 }), 'rollout-no-drop', FRONTEND).status).toBe(RowStatus.PASS);
    expect(row(probed({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 }), 'rollout-no-drop', FRONTEND).status).toBe(RowStatus.PASS);
    expect(row(probed({ grpc: { port: 9000 }, periodSeconds: 5 }), 'rollout-no-drop', FRONTEND).status).toBe(RowStatus.FAIL);
  });

  test('a named port the container does not declare: the probe never succeeds', () => {
    const judged = row(probed({ httpGet: { path: '/healthz', port: 'admin' }, periodSeconds: 5 }), 'rollout-no-drop', FRONTEND);
    expect(judged.status).toBe(RowStatus.FAIL);
    expect(judged.arithmetic).toContain('names port admin, which container frontend does not declare: the probe fails and the pods never become Ready');
  });

  test('a declared health port of its own (a management port) passes', () => {
    const report = reportOf(example, (copy) => {
      const app = podOf(copy, 'frontend').containers[0];
      app.ports.push({ name: 'management', containerPort: 8081 });
      app.readinessProbe = { httpGet: { path: '/ready', port: 'management' }, periodSeconds: 5 };
    });
    expect(failing(report)).toEqual([]);
  });
});

describe('every main container sleeps in its preStop while its removal propagates', () => {
  /** The review's reproducer: a proxy owns the Service's port 8080 and forwards to the app on 9000. */
  const proxied = (change: (app: any, proxy: any, spec: any) => void) => reportOf(example, (copy) => {
    const spec = podOf(copy, 'frontend');
    const app = spec.containers[0];
    const proxy = JSON.parse(JSON.stringify(app));
    proxy.name = 'envoy';
    app.ports = [{ name: 'app', containerPort: 9000 }];
    for (const probe of ['readinessProbe', 'startupProbe', 'livenessProbe']) app[probe].httpGet.port = 9000;
    spec.containers.push(proxy);
    change(app, proxy, spec);
  });

  test('the proxy sleeps but the app it forwards to does not: the app stops at once', () => {
    const rollout = row(proxied((app) => { delete app.lifecycle; }), 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.arithmetic).toContain('✓ container envoy: preStop sleep 15 s >= 15 s');
    expect(rollout.arithmetic).toContain('✗ container frontend (beside serving container envoy, it gets SIGTERM when its own preStop ends): preStop sleep 0 s >= 15 s');
    expect(rollout.fix).toContain('sleep at least 15 s in a preStop hook of container frontend (lifecycle.preStop.sleep.seconds), or run it as a native sidecar');
  });

  test('the app sleeps but the proxy that owns the port does not', () => {
    const rollout = row(proxied((_app, proxy) => { delete proxy.lifecycle; }), 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.arithmetic).toContain('✗ container envoy: preStop sleep 0 s >= 15 s');
  });

  test('a native-sidecar proxy needs no sleep of its own: Kubernetes stops it after the main containers', () => {
    const report = proxied((_app, proxy, spec) => {
      spec.containers = spec.containers.filter((c: any) => c !== proxy);
      delete proxy.lifecycle;
      spec.initContainers = [{ ...proxy, restartPolicy: 'Always' }];
    });
    expect(failing(report)).toEqual([]);
    expect(row(report, 'rollout-no-drop', FRONTEND).arithmetic).toContain('native sidecar envoy serves: Kubernetes sends it SIGTERM only once every main container has exited');
  });

  test('the grace period must outlast the longest preStop, a native sidecar\'s too', () => {
    const rollout = row(reportOf(example, (copy) => {
      podOf(copy, 'frontend').initContainers = [{ name: 'shipper', image: 'x', restartPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 60 } } } }];
    }), 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.arithmetic).toContain('terminationGracePeriodSeconds 45 > preStop 60');
  });
});
