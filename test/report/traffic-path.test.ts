import { failing, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';

const INGRESS = 'shop/Ingress/frontend';
const SERVICE = 'shop/Service/frontend';
const FRONTEND = 'shop/Deployment/frontend';

const example = synthesizeExample();
const backendOf = (ingress: any) => ingress.spec.rules[0].http.paths[0].backend.service;

describe('the traffic path from the Ingress to serving containers', () => {
  test('the example: the Ingress and every Service reach their pods', () => {
    const report = reportOf(example);
    expect(row(report, 'traffic-path', INGRESS)).toMatchObject({ status: RowStatus.PASS });
    expect(row(report, 'traffic-path', INGRESS).arithmetic).toContain('backend Service/frontend port 80 is its port 80 (http)');
    expect(row(report, 'traffic-path', INGRESS).arithmetic).toContain('Service/frontend port http -> targetPort http: Deployment/frontend container frontend declares http (8080/TCP)');
    for (const service of ['frontend', 'catalog', 'cart', 'checkout', 'payments']) {
      expect(row(report, 'traffic-path', `shop/Service/${service}`).status).toBe(RowStatus.PASS);
    }
  });

  test('a Service selector typo fails the Service and the Ingress, naming the label; the Deployment stays judged behind the ALB', () => {
    const report = reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'frontend').spec.selector['app.kubernetes.io/name'] = 'front-end';
    });
    expect(failing(report)).toEqual([`traffic-path ${INGRESS}`, `traffic-path ${SERVICE}`]);
    const service = row(report, 'traffic-path', SERVICE);
    expect(service.arithmetic).toContain('selects no pod of the input: it has no endpoint and every call to it fails (Deployment/frontend\'s pods have app.kubernetes.io/name=frontend)');
    expect(service.fix).toBe('make the selector of Service/frontend match the pod labels of Deployment/frontend (app.kubernetes.io/name=frontend)');
    expect(row(report, 'traffic-path', INGRESS).arithmetic).toContain('the ALB has no target for it and answers 503');
    // The Service keeps its Deployment's name: the rollout row still requires the ALB's 15 s and checks the target group.
    const rollout = row(report, 'rollout-no-drop', FRONTEND);
    expect(rollout.arithmetic).toContain('preStop sleep 15 s >= 15 s for endpoint and ALB target removal to propagate');
    expect(rollout.arithmetic).toContain('ALB target-type ip');
    expect(row(report, 'node-loss', FRONTEND).arithmetic).toContain('ALB health checks 2 x 5 s');
  });

  test('a Service that selects nothing and shares no name points at the workload whose labels are closest', () => {
    const report = reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'catalog').spec.selector['app.kubernetes.io/instance'] = 'catalogue';
    });
    expect(row(report, 'traffic-path', 'shop/Service/catalog').fix).toContain('pod labels of Deployment/catalog (app.kubernetes.io/instance=catalog)');
  });

  test('an Ingress port the Service does not have fails the whole Ingress group; the Deployment keeps its ALB checks', () => {
    const report = reportOf(example, (copy) => {
      backendOf(object(copy.manifests, 'Ingress', 'frontend')).port = { number: 8080 };
      object(copy.manifests, 'Deployment', 'frontend').spec.template.metadata.labels['istio.io/dataplane-mode'] = 'none';
    });
    expect(failing(report)).toEqual([`traffic-path ${INGRESS}`]);
    const ingress = row(report, 'traffic-path', INGRESS);
    expect(ingress.arithmetic).toContain('backend Service/frontend port 8080: the Service has no such port (it has 80 (http)): ' +
      'the Load Balancer Controller fails to build Ingress group shop, so none of its rules is reconciled');
    expect(ingress.fix).toContain('name a port Service/frontend has (80 (http)) in the backend of Ingress/frontend');
    const rollout = row(report, 'rollout-no-drop', FRONTEND);
    expect(rollout.arithmetic).toContain('for endpoint and ALB target removal');
    expect(rollout.arithmetic).toContain('ALB deregistration delay 45 s');
  });

  test('a backend port by name must be a Service port\'s name', () => {
    const named = (name: string) => row(reportOf(example, (copy) => {
      backendOf(object(copy.manifests, 'Ingress', 'frontend')).port = { name };
    }), 'traffic-path', INGRESS);
    expect(named('http').status).toBe(RowStatus.PASS);
    expect(named('web')).toMatchObject({ status: RowStatus.FAIL, arithmetic: expect.stringContaining('port web: the Service has no such port') });
  });

  test('a backend Service that does not exist: the ALB answers 503', () => {
    const ingress = row(reportOf(example, (copy) => { backendOf(object(copy.manifests, 'Ingress', 'frontend')).name = 'frontnd'; }), 'traffic-path', INGRESS);
    expect(ingress.status).toBe(RowStatus.FAIL);
    expect(ingress.arithmetic).toContain('backend Service/frontnd does not exist in namespace shop: the ALB answers its paths with a fixed 503');
    expect(ingress.fix).toContain('or add Service/frontnd');
  });

  test('a targetPort name no container declares: the pods get no endpoint', () => {
    const report = reportOf(example, (copy) => { object(copy.manifests, 'Service', 'frontend').spec.ports[0].targetPort = 'htp'; });
    expect(failing(report)).toEqual(expect.arrayContaining([`traffic-path ${INGRESS}`, `traffic-path ${SERVICE}`]));
    expect(row(report, 'traffic-path', SERVICE).arithmetic).toContain('targetPort htp: in Deployment/frontend no container declares a TCP port named htp: those pods get no endpoint');
    expect(row(report, 'traffic-path', SERVICE).fix).toContain('point targetPort of Service/frontend port http at a port the serving container declares');
  });

  test('a targetPort name of another protocol does not resolve', () => {
    const report = reportOf(example, (copy) => { object(copy.manifests, 'Service', 'catalog').spec.ports[0].protocol = 'UDP'; });
    expect(row(report, 'traffic-path', 'shop/Service/catalog').status).toBe(RowStatus.FAIL);
  });

  test('a targetPort number: declared or probed passes, neither fails', () => {
    const targeted = (port: number) => row(reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'catalog').spec.ports[0].targetPort = port;
    }), 'traffic-path', 'shop/Service/catalog');
    expect(targeted(8080).status).toBe(RowStatus.PASS);
    expect(targeted(9090)).toMatchObject({ status: RowStatus.FAIL, arithmetic: expect.stringContaining('no container declares 9090/TCP or probes it: nothing is known to listen there') });
  });

  test('another Ingress of the group with a missing port fails this one too', () => {
    const report = reportOf(example, (copy) => {
      const other = JSON.parse(JSON.stringify(copy.manifests.find((o) => o.object.kind === 'Ingress')!));
      other.object.metadata.name = 'admin';
      other.object.spec.rules[0].host = 'admin.example.com';
      backendOf(other.object).port = { number: 9000 };
      copy.manifests.push(other);
    });
    expect(failing(report)).toEqual(expect.arrayContaining([`traffic-path ${INGRESS}`, 'traffic-path shop/Ingress/admin']));
    expect(row(report, 'traffic-path', INGRESS).arithmetic).toContain(
      'Ingress shop/Ingress/admin: Service/frontend has no port 9000: the Load Balancer Controller fails to build group shop, so this Ingress\'s rules are not reconciled either');
  });

  test('a LoadBalancer Service without selector needs its EndpointSlices in the input; accepted by annotation it shows as ACCEPTED', () => {
    const add = (extra: any[]) => reportOf(example, (copy) => { copy.manifests.push(...extra.map((o) => ({ object: o, source: 'extra.yaml' }))); });
    const service = (annotations: any = {}) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'legacy', namespace: 'shop', annotations },
      spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
    });
    expect(row(add([service()]), 'traffic-path', 'shop/Service/legacy')).toMatchObject({
      status: RowStatus.FAIL, arithmetic: expect.stringContaining('has no selector and the input holds no EndpointSlice for it'),
    });
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'legacy-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'legacy' } } };
    expect(row(add([service(), slice]), 'traffic-path', 'shop/Service/legacy').status).toBe(RowStatus.PASS);
    const accepted = row(add([service({ 'resilience.resilient-eks.dev/accept.traffic-path': 'endpoints registered by the legacy controller' })]), 'traffic-path', 'shop/Service/legacy');
    expect(accepted.status).toBe(RowStatus.ACCEPTED);
  });

  test('a Service that selects the pods of another workload kind reaches them', () => {
    const report = reportOf(example, (copy) => {
      copy.manifests.push(
        { object: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', ports: [{ name: 'pg', containerPort: 5432 }] }] } } } }, source: 'extra.yaml' },
        { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 'pg' }] } }, source: 'extra.yaml' },
      );
    });
    expect(row(report, 'traffic-path', 'shop/Service/db').status).toBe(RowStatus.PASS);
  });
});
