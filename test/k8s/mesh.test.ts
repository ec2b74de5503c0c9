import { App, Chart, Duration, Testing } from 'cdk8s';
import { HaMicroservice, HealthProbe, LoadBalancerScheme, MeshWaypoint } from '../../src';
import { Manifest, validateManifests } from '../helpers/schema';
import { minimalProps, synthService } from '../helpers/synth';

const EXPOSE = {
  scheme: LoadBalancerScheme.INTERNET_FACING,
  host: 'shop.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f4e2a7c-3b1d-4c55-9d2e-6a8b7c9d0e1f',
};

/** A meshed service and its waypoint in one namespace, synthesized through the app (so validations run) and schema-checked. */
function synthMeshed(mesh: any = {}, extra: any = {}): Manifest[] {
  const app = new App({ outdir: Testing.app().outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshWaypoint(chart, 'Waypoint');
  new HaMicroservice(chart, 'Api', minimalProps({ mesh, ...extra }));
  app.synth();
  const manifests = chart.toJson() as Manifest[];
  validateManifests(manifests);
  return manifests;
}

const find = (manifests: Manifest[], kind: string, name?: string) => manifests.find((m) => m.kind === kind && (!name || m.metadata.name === name))!;

describe('HaMicroservice in the ambient mesh', () => {
  const manifests = synthMeshed();

  test('its pods join the mesh and its Service sends calls through the waypoint', () => {
    expect(find(manifests, 'Deployment').spec.template.metadata.labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(find(manifests, 'Deployment').spec.selector.matchLabels).not.toHaveProperty('istio.io/dataplane-mode');
    expect(find(manifests, 'Service', 'api').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
  });

  test('default traffic policy: retries only of calls that never reached the application (no 503), no timeout, outlier detection bounded by one zone\'s share', () => {
    expect(find(manifests, 'VirtualService').spec).toEqual({
      hosts: ['api'],
      http: [{
        route: [{ destination: { host: 'api', port: { number: 80 } } }],
        retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled' },
      }],
    });
    expect(find(manifests, 'DestinationRule').spec).toEqual({
      host: 'api',
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 33 } },
    });
  });

  test('timeouts, retries, outlier detection and circuit breaking from props', () => {
    const custom = synthMeshed({
      requestTimeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['connect-failure', 'reset'] },
      outlierDetection: { consecutiveErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 20 },
      maxPendingRequests: 100,
    });
    expect(find(custom, 'VirtualService').spec.http[0]).toEqual({
      route: [{ destination: { host: 'api', port: { number: 80 } } }],
      timeout: '10s',
      retries: { attempts: 3, retryOn: 'connect-failure,reset', perTryTimeout: '2s' },
    });
    expect(find(custom, 'DestinationRule').spec.trafficPolicy).toEqual({
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 20 },
      connectionPool: { http: { http1MaxPendingRequests: 100 } },
    });
    expect(find(synthMeshed({ retries: { attempts: 0 } }), 'VirtualService').spec.http[0].retries).toEqual({ attempts: 0 });
  });

  test('the NetworkPolicy admits HBONE from the waypoint and callers, and the kubelet\'s probes from ztunnel\'s address', () => {
    const policy = find(synthMeshed({}, { allowedCallers: [{ app: 'web' }] }), 'NetworkPolicy').spec;
    expect(policy.ingress).toContainEqual({
      from: [
        { podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } } },
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
      ],
      ports: [{ protocol: 'TCP', port: 15008 }],
    });
    expect(policy.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '169.254.7.127/32' } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  test('its calls to other workloads may tunnel over HBONE to them or to their namespace\'s waypoints', () => {
    const policy = find(synthMeshed({}, { egress: [{ app: 'payments', namespaceName: 'pay', port: 8080 }] }), 'NetworkPolicy').spec;
    const pay = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'pay' } } };
    expect(policy.egress).toContainEqual({
      to: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } }, ...pay },
        { podSelector: { matchExpressions: [{ key: 'gateway.networking.k8s.io/gateway-name', operator: 'Exists' }] }, ...pay },
      ],
      ports: [{ protocol: 'TCP', port: 15008 }],
    });
  });

  test('exposed through an ALB, the container port accepts the ALB\'s plain HTTP and every other port follows the mesh', () => {
    const exposed = synthMeshed({}, { expose: EXPOSE });
    expect(find(exposed, 'PeerAuthentication').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      mtls: { mode: 'UNSET' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
    });
    expect(manifests.some((m) => m.kind === 'PeerAuthentication')).toBe(false);
  });

  test('when the ALB health-checks the readiness probe\'s own port, that port accepts plain HTTP too', () => {
    const exposed = synthMeshed({}, { containerPort: 8443, readinessProbe: HealthProbe.http('/ready', { port: 9901 }), expose: EXPOSE });
    expect(find(exposed, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/healthcheck-port']).toBe('9901');
    expect(find(exposed, 'PeerAuthentication').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      mtls: { mode: 'UNSET' },
      portLevelMtls: { 8443: { mode: 'PERMISSIVE' }, 9901: { mode: 'PERMISSIVE' } },
    });
    // A probe on the container port itself opens nothing more.
    const samePort = synthMeshed({}, { readinessProbe: HealthProbe.http('/ready', { port: 8080 }), expose: EXPOSE });
    expect(find(samePort, 'PeerAuthentication').spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
  });

  test('through the waypoint, only the allowed callers\' mesh identities may call; with none, nothing may', () => {
    const policy = (m: Manifest[]) => find(m, 'AuthorizationPolicy').spec;
    expect(policy(manifests)).toEqual({ targetRefs: [{ group: '', kind: 'Service', name: 'api' }], action: 'ALLOW' });
    expect(policy(synthMeshed({}, { allowedCallers: [{ app: 'web' }, { app: 'batch', namespaceName: 'jobs' }] }))).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web', 'cluster.local/ns/jobs/sa/batch'] } }] }],
    });
  });

  test('connectTo admits the caller by its service account, after construction', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshWaypoint(chart, 'Waypoint');
    const api = new HaMicroservice(chart, 'Api', minimalProps({ mesh: {} }));
    const web = new HaMicroservice(chart, 'Web', minimalProps({ name: 'web', mesh: {}, serviceAccount: { name: 'web-runtime' } }));
    web.connectTo(api);
    app.synth();
    const objects = chart.toJson() as Manifest[];
    validateManifests(objects);
    expect(find(objects, 'AuthorizationPolicy', 'api').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web-runtime'] } }] }]);
    expect(find(objects, 'NetworkPolicy', 'api').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ protocol: 'TCP', port: 15008 }],
    });
  });

  test('without mesh nothing of the mesh is emitted', () => {
    const plain = synthService(minimalProps());
    expect(plain.manifests.map((m) => m.kind)).not.toEqual(expect.arrayContaining(['VirtualService']));
    expect(plain.of('Deployment').spec.template.metadata.labels).not.toHaveProperty('istio.io/dataplane-mode');
    expect(JSON.stringify(plain.of('NetworkPolicy'))).not.toContain('15008');
  });

  test('a service whose waypoint is missing fails the synth, naming the fix', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new HaMicroservice(chart, 'Api', minimalProps({ mesh: { waypointName: 'edge' } }));
    new MeshWaypoint(new Chart(app, 'other', { namespace: 'other' }), 'Waypoint', { name: 'edge' });
    expect(() => app.synth()).toThrow(/mesh.waypointName = "edge" is invalid: no MeshWaypoint of that name in namespace "shop".*Fix: add new MeshWaypoint/s);
  });

  test.each([
    [{ requestTimeout: Duration.millis(1500) }, 'mesh.requestTimeout = "1500 ms" is invalid: must be a whole number of seconds'],
    [{ requestTimeout: Duration.seconds(4), retries: { perTryTimeout: Duration.seconds(4) } },
      'mesh.retries.perTryTimeout = "4s" is invalid: must be shorter than mesh.requestTimeout (4s), which includes every retry. Fix: use at most Duration.seconds(1)'],
    [{ retries: { attempts: 11 } }, 'mesh.retries.attempts = 11 is invalid'],
    [{ retries: { retryOn: ['sometimes'] } }, 'mesh.retries.retryOn[0] = "sometimes" is invalid: must be an Envoy retry condition'],
    [{ outlierDetection: { maxEjectionPercent: 50 } }, 'mesh.outlierDetection.maxEjectionPercent = 50 is invalid: must be a whole number from 1 to 33'],
    [{ waypointName: 'Bad_Name' }, 'mesh.waypointName = "Bad_Name" is invalid'],
  ])('bad mesh options are refused at synth: %j', (mesh, message) => {
    expect(() => synthService(minimalProps({ mesh: mesh as any }))).toThrow(message);
  });
});

describe('MeshWaypoint', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new MeshWaypoint(chart, 'Waypoint', { maxReplicas: 6 });
  const manifests = Testing.synth(chart) as Manifest[];
  validateManifests(manifests);

  test('an Istio waypoint Gateway for services, listening for HBONE, with its parameters', () => {
    expect(find(manifests, 'Gateway')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: {
        gatewayClassName: 'istio-waypoint',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
        infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'waypoint-parameters' } },
      },
    });
  });

  test('the proxy runs a replica per zone at least, spread like a HaMicroservice, autoscaled and drained one at a time', () => {
    const data = find(manifests, 'ConfigMap').data;
    expect(JSON.parse(data.horizontalPodAutoscaler).spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(JSON.parse(data.podDisruptionBudget).spec).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    const spread = JSON.parse(data.deployment).spec.template.spec.topologySpreadConstraints;
    expect(spread[0]).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
    });
  });

  test('bad input is refused with the construct path', () => {
    expect(() => new MeshWaypoint(new Chart(Testing.app(), 'c'), 'W', { maxReplicas: 2 }))
      .toThrow(/MeshWaypoint at 'c\/W': maxReplicas = 2 is invalid: must be a whole number from 3 to 1000/);
  });
});
