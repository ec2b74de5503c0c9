import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { CpuArchitecture, HaMicroservice, HaMicroserviceProps, HealthProbe, LoadBalancerScheme, NetworkProtocol } from '../../src';
import { validateManifests, Manifest } from '../helpers/schema';
import { minimalProps, podSpec, synthService } from '../helpers/synth';

describe('HaMicroservice defaults', () => {
  const synthesized = synthService(minimalProps());
  const spec = podSpec(synthesized);
  const container = spec.containers[0];

  test('emits exactly the objects of a cluster-internal service, all schema-valid', () => {
    expect(synthesized.manifests.map((m) => m.kind).sort()).toEqual(
      ['Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(synthesized.manifests.every((m) => m.metadata.name === 'api' && m.metadata.namespace === 'shop')).toBe(true);
  });

  test('each object is reachable as a public attribute', () => {
    const s = synthesized.service;
    expect([s.deployment, s.service, s.podDisruptionBudget, s.horizontalPodAutoscaler, s.networkPolicy, s.serviceAccount]
      .map((o) => o?.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'ServiceAccount']);
    expect(s.ingress).toBeUndefined();
  });

  test('standard app.kubernetes.io labels, selector without the version', () => {
    const deployment = synthesized.of('Deployment');
    expect(deployment.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/version': '1.0.0',
      'app.kubernetes.io/component': 'microservice',
      'app.kubernetes.io/managed-by': 'cdk8s',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
    expect(deployment.spec.template.metadata.labels).toEqual(deployment.metadata.labels);
  });

  test('no spec.replicas when the HPA owns the count', () => {
    expect(synthesized.of('Deployment').spec).not.toHaveProperty('replicas');
  });

  test('rolling update never removes a serving pod before its replacement is ready', () => {
    expect(synthesized.of('Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
  });

  test('spread over zones (hard) and nodes (soft) per rollout revision', () => {
    expect(spec.topologySpreadConstraints).toHaveLength(2);
    expect(spec.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      maxSkew: 1,
      nodeTaintsPolicy: 'Honor',
      matchLabelKeys: ['pod-template-hash'],
      labelSelector: { matchLabels: synthesized.service.selectorLabels },
    });
    expect(spec.topologySpreadConstraints[0]).not.toHaveProperty('minDomains');
    expect(spec.topologySpreadConstraints[1]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
  });

  test('short not-ready and unreachable tolerations', () => {
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
  });

  test('graceful shutdown: native preStop sleep shorter than the grace period', () => {
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(spec.terminationGracePeriodSeconds).toBe(45);
  });

  test('restricted security context', () => {
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'writable-0', emptyDir: {} }]);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('requests as given, memory limit = request, no CPU limit', () => {
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
  });

  test('readiness, liveness and startup probes on the health path', () => {
    const http = { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 2, successThreshold: 1 };
    expect(container.readinessProbe).toEqual({ ...http, periodSeconds: 5, failureThreshold: 2 });
    expect(container.livenessProbe).toEqual({ ...http, periodSeconds: 10, failureThreshold: 3 });
    expect(container.startupProbe).toEqual({ ...http, periodSeconds: 2, failureThreshold: 60 });
  });

  test('runs only on amd64 nodes unless told the image is multi-arch', () => {
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }]);
  });

  test('PDB allows one voluntary disruption and evicts unhealthy pods', () => {
    expect(synthesized.of('PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: synthesized.service.selectorLabels },
    });
  });

  test('HPA v2 on CPU at the static-stability bound and memory at 80%, with explicit behaviour', () => {
    const hpa = synthesized.of('HorizontalPodAutoscaler').spec;
    expect(hpa).toMatchObject({ minReplicas: 3, maxReplicas: 9, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } });
    expect(hpa.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 45 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(hpa.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(hpa.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  test('Service targets the named container port and spreads calls over every zone (same-zone routing would overload 5 replicas\' thinnest zone)', () => {
    expect(synthesized.of('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: synthesized.service.selectorLabels,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(synthesized.service.settings.reasons.preferSameZoneTraffic).toContain('5 replicas leave 1 in the thinnest zone, whose pods would run at 124%');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('NetworkPolicy denies by default and allows DNS and the Pod Identity agent out', () => {
    const policy = synthesized.of('NetworkPolicy').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress ?? []).toEqual([]);
    expect(policy.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
  });

  test('settings carry every number with a reason', () => {
    const settings = synthesized.service.settings;
    expect(settings).toMatchObject({
      zoneCount: 3,
      minReplicas: 3,
      maxReplicas: 9,
      autoscaled: true,
      cpuTargetUtilization: 45,
      memoryTargetUtilization: 80,
      maxStableUtilization: 45,
      maxUnavailable: 1,
      preStopSleepSeconds: 15,
      terminationGracePeriodSeconds: 45,
      nodeFailureTolerationSeconds: 30,
      preferSameZoneTraffic: false,
    });
    expect(settings.deregistrationDelaySeconds).toBeUndefined();
    expect(Object.keys(settings.reasons).sort()).toEqual([
      'cpuTargetUtilization', 'maxUnavailable', 'memoryTargetUtilization', 'minReplicas', 'nodeFailureTolerationSeconds', 'preStopSleepSeconds',
      'preferSameZoneTraffic', 'terminationGracePeriodSeconds', 'zoneCount',
    ]);
  });
});

describe('HaMicroservice options', () => {
  test('same-zone routing: on where the thinnest zone stays within its requests, never where it would not, off on request', () => {
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    const distribution = (props: Partial<HaMicroserviceProps>) => synthService(minimalProps({ zones, ...props })).of('Service').spec.trafficDistribution;
    // A multiple of the zones puts the same count everywhere.
    expect(distribution({ replicas: 6 })).toBe('PreferSameZone');
    expect(distribution({ replicas: 4 })).toBeUndefined();
    // 3-9 replicas: the worst is 5 (2/2/1); at 36% the lone pod stays at 36 x 1.1 x 5 / (2 x 1) = 99%.
    expect(distribution({ autoscaling: { cpuTargetUtilization: 36 } })).toBe('PreferSameZone');
    expect(distribution({ autoscaling: { cpuTargetUtilization: 37 } })).toBeUndefined();
    const off = synthService(minimalProps({ zones, replicas: 6, preferSameZoneTraffic: false }));
    expect(off.of('Service').spec).not.toHaveProperty('trafficDistribution');
    expect(off.service.settings.reasons.preferSameZoneTraffic).toMatch(/turned off/);
  });

  test('fixed replicas: spec.replicas, no HPA', () => {
    const s = synthService(minimalProps({ replicas: 4 }));
    expect(s.of('Deployment').spec.replicas).toBe(4);
    expect(s.has('HorizontalPodAutoscaler')).toBe(false);
    expect(s.service.horizontalPodAutoscaler).toBeUndefined();
    expect(s.service.settings).toMatchObject({ autoscaled: false, minReplicas: 4, maxReplicas: 4, cpuTargetUtilization: undefined });
  });

  test('custom autoscaling within the bound', () => {
    const s = synthService(minimalProps({ autoscaling: { minReplicas: 6, maxReplicas: 6, cpuTargetUtilization: 60, memoryTargetUtilization: 55 } }));
    expect(s.of('HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 6, maxReplicas: 6 });
    expect(s.of('HorizontalPodAutoscaler').spec.metrics.map((m: any) => m.resource.target.averageUtilization)).toEqual([60, 55]);
  });

  test('a target above the bound is allowed only when the overload is accepted', () => {
    const s = synthService(minimalProps({ autoscaling: { cpuTargetUtilization: 80, acceptZoneLossOverload: true } }));
    expect(s.service.settings.cpuTargetUtilization).toBe(80);
    expect(s.service.settings.maxStableUtilization).toBe(45);
  });

  test('two zones need an HPA target for a 2/1 split', () => {
    const s = synthService(minimalProps({ zoneCount: 2 }));
    expect(s.service.settings).toMatchObject({ zoneCount: 2, minReplicas: 3, cpuTargetUtilization: 30 });
  });

  test('limits, env, envFrom, command, args, priority class, multi-arch, runAsUser, writable paths', () => {
    const s = synthService(minimalProps({
      cpuLimit: Cpu.units(1),
      memoryLimit: Size.mebibytes(512),
      env: { Z_LAST: 'z', A_FIRST: 'a' },
      envFromConfigMaps: ['api-config'],
      envFromSecrets: ['api-secrets'],
      command: ['/app/server'],
      args: ['--port=8080'],
      priorityClassName: 'business-critical',
      architectures: [CpuArchitecture.ARM64, CpuArchitecture.AMD64],
      runAsUser: 1000,
      writablePaths: ['/tmp', '/var/cache/app'],
      version: 'v1-rc.1',
      partOf: 'shop',
      component: 'backend',
    }));
    const spec = podSpec(s);
    const container = spec.containers[0];
    expect(container.resources.limits).toEqual({ cpu: '1000m', memory: '512Mi' });
    expect(container.env).toEqual([{ name: 'A_FIRST', value: 'a' }, { name: 'Z_LAST', value: 'z' }]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'api-config' } }, { secretRef: { name: 'api-secrets' } }]);
    expect(container.command).toEqual(['/app/server']);
    expect(container.args).toEqual(['--port=8080']);
    expect(spec.priorityClassName).toBe('business-critical');
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['arm64', 'amd64']);
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(container.volumeMounts.map((v: any) => v.mountPath)).toEqual(['/tmp', '/var/cache/app']);
    expect(s.of('Deployment').metadata.labels).toMatchObject({
      'app.kubernetes.io/version': 'v1-rc.1', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/component': 'backend',
    });
  });

  test('custom probes: command, TCP and HTTP with timing', () => {
    const s = synthService(minimalProps({
      readinessProbe: HealthProbe.http('/ready', { period: Duration.seconds(3), failureThreshold: 1, port: 9090 }),
      livenessProbe: HealthProbe.command(['/bin/check', '--live'], { timeout: Duration.seconds(5), period: Duration.seconds(20) }),
      startupProbe: HealthProbe.tcp({ initialDelay: Duration.seconds(5) }),
    }));
    const container = podSpec(s).containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 9090, scheme: 'HTTP' }, periodSeconds: 3, timeoutSeconds: 2, failureThreshold: 1, successThreshold: 1 });
    expect(container.livenessProbe).toEqual({ exec: { command: ['/bin/check', '--live'] }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 });
    expect(container.startupProbe).toEqual({
      tcpSocket: { port: 8080 }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 60, successThreshold: 1, initialDelaySeconds: 5,
    });
  });

  test('service account: annotations on a created one, or an existing one by name', () => {
    const created = synthService(minimalProps({ serviceAccount: { name: 'api-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/api' } } }));
    expect(created.of('ServiceAccount').metadata).toMatchObject({ name: 'api-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/api' } });
    expect(created.of('ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(podSpec(created).serviceAccountName).toBe('api-sa');

    const existing = synthService(minimalProps({ serviceAccount: { name: 'shared', create: false }, automountServiceAccountToken: true }));
    expect(existing.has('ServiceAccount')).toBe(false);
    expect(existing.service.serviceAccount).toBeUndefined();
    expect(podSpec(existing)).toMatchObject({ serviceAccountName: 'shared', automountServiceAccountToken: true });
  });

  test('callers and egress destinations open the NetworkPolicy, nothing else', () => {
    const s = synthService(minimalProps({
      allowedCallers: [{ app: 'frontend' }, { app: 'monitor', namespaceName: 'observability' }],
      egress: [{ app: 'payments', port: 8443 }, { cidr: '0.0.0.0/0', port: 443 }, { app: 'statsd', namespaceName: 'observability', port: 8125, protocol: NetworkProtocol.UDP }],
    }));
    const policy = s.of('NetworkPolicy').spec;
    expect(policy.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'monitor' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(policy.egress.slice(2)).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } } }], ports: [{ protocol: 'TCP', port: 8443 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'statsd' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
        ports: [{ protocol: 'UDP', port: 8125 }],
      },
    ]);
  });

  test('connectTo opens both sides, across namespaces when the charts differ', () => {
    const app = Testing.app();
    const web = new Chart(app, 'web', { namespace: 'web' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const frontend = new HaMicroservice(web, 'Frontend', minimalProps({ name: 'frontend' }));
    const cart = new HaMicroservice(shop, 'Cart', minimalProps({ name: 'cart', containerPort: 9000 }));
    const catalog = new HaMicroservice(shop, 'Catalog', minimalProps({ name: 'catalog' }));
    frontend.connectTo(cart);
    cart.connectTo(catalog);
    const policies = [...Testing.synth(web), ...Testing.synth(shop)] as Manifest[];
    validateManifests(policies);
    const policy = (name: string) => policies.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name)!.spec;
    expect(policy('frontend').egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    });
    expect(policy('cart').ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    });
    expect(policy('cart').egress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'catalog' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(policy('catalog').ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });
});

describe('HaMicroservice exposed through an ALB', () => {
  const s = synthService(minimalProps({
    readinessProbe: HealthProbe.http('/ready'),
    expose: {
      scheme: LoadBalancerScheme.INTERNET_FACING,
      host: 'api.example.com',
      path: '/api',
      groupName: 'shop',
      certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-1234567890ab',
      sourceCidrs: ['10.0.0.0/16'],
    },
  }));
  const ingress = s.of('Ingress');

  test('an ALB Ingress with ip targets, health checks, TLS and the shutdown-consistent deregistration delay', () => {
    expect(s.service.ingress?.kind).toBe('Ingress');
    expect(ingress.spec).toEqual({
      ingressClassName: 'alb',
      rules: [{ host: 'api.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
    });
    expect(ingress.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-protocol': 'HTTP',
      'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '5',
      'alb.ingress.kubernetes.io/healthcheck-timeout-seconds': '4',
      'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
      'alb.ingress.kubernetes.io/unhealthy-threshold-count': '2',
      'alb.ingress.kubernetes.io/success-codes': '200',
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=45',
      'alb.ingress.kubernetes.io/load-balancer-attributes': 'routing.http.drop_invalid_header_fields.enabled=true,zonal_shift.config.enabled=true',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-1234567890ab',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/group.name': 'shop',
    });
    expect(s.service.settings.deregistrationDelaySeconds).toBe(45);
  });

  test('the NetworkPolicy admits the ALB on the container port', () => {
    expect(s.of('NetworkPolicy').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });

  test('defaults: internal, HTTP only, private source ranges, health path from healthCheckPath', () => {
    const d = synthService(minimalProps({ healthCheckPath: '/status', expose: {} }));
    const annotations = d.of('Ingress').metadata.annotations;
    expect(annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP":80}]');
    expect(annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/status');
    expect(annotations).not.toHaveProperty('alb.ingress.kubernetes.io/certificate-arn');
    expect(annotations).not.toHaveProperty('alb.ingress.kubernetes.io/group.name');
    expect(d.of('Ingress').spec.rules).toEqual([{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }]);
    expect(d.of('NetworkPolicy').spec.ingress[0].from.map((p: any) => p.ipBlock.cidr)).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']);
  });

  test('every ALB accepts the ARC zonal shift the az-evacuation runbook starts, and still drops malformed headers', () => {
    const attributes = synthService(minimalProps({ expose: {} })).of('Ingress').metadata.annotations['alb.ingress.kubernetes.io/load-balancer-attributes'];
    expect(attributes.split(',')).toEqual(['routing.http.drop_invalid_header_fields.enabled=true', 'zonal_shift.config.enabled=true']);
  });

  test('health-check timing and deregistration delay are configurable', () => {
    const d = synthService(minimalProps({
      terminationGracePeriod: Duration.seconds(60),
      expose: { healthCheckInterval: Duration.seconds(15), healthCheckTimeout: Duration.seconds(3), healthyThresholdCount: 3, unhealthyThresholdCount: 4, successCodes: '200-299', deregistrationDelay: Duration.seconds(40) },
    }));
    expect(d.of('Ingress').metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '15',
      'alb.ingress.kubernetes.io/healthcheck-timeout-seconds': '3',
      'alb.ingress.kubernetes.io/healthy-threshold-count': '3',
      'alb.ingress.kubernetes.io/unhealthy-threshold-count': '4',
      'alb.ingress.kubernetes.io/success-codes': '200-299',
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=40',
    });
  });
});

test('synthesis is deterministic', () => {
  const once = () => JSON.stringify(synthService(minimalProps({ env: { B: '1', A: '2' }, expose: {} })).manifests);
  expect(once()).toEqual(once());
});

describe('HaMicroservice review fixes', () => {
  test('named zones pin the pods to them and set the zone count', () => {
    const s = synthService(minimalProps({ zones: ['eu-west-1c', 'eu-west-1a', 'eu-west-1b'] }));
    expect(podSpec(s).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    ]);
    expect(s.service.settings).toMatchObject({ zoneCount: 3, zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  });

  test('the ALB checks the readiness probe on its own port, and the NetworkPolicy lets it', () => {
    const s = synthService(minimalProps({ readinessProbe: HealthProbe.http('/ready', { port: 9090 }), expose: { sourceCidrs: ['10.0.0.0/16'] } }));
    expect(s.of('Ingress').metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/healthcheck-port': '9090',
    });
    expect(s.of('NetworkPolicy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] },
    ]);
  });

  test('an explicit ALB health-check path uses the traffic port', () => {
    const s = synthService(minimalProps({ readinessProbe: HealthProbe.http('/ready', { port: 9090 }), expose: { healthCheckPath: '/lb' } }));
    expect(s.of('Ingress').metadata.annotations['alb.ingress.kubernetes.io/healthcheck-port']).toBe('traffic-port');
  });

  test('services sharing an Ingress group must agree on the scheme and not route the same host and path', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new HaMicroservice(chart, 'A', minimalProps({ name: 'a', expose: { groupName: 'shop', host: 'shop.example.com', path: '/a' } }));
    new HaMicroservice(chart, 'B', minimalProps({ name: 'b', expose: { groupName: 'shop', host: 'shop.example.com', path: '/b' } }));
    expect(() => new HaMicroservice(chart, 'C', minimalProps({ name: 'c', expose: { groupName: 'shop', scheme: LoadBalancerScheme.INTERNET_FACING, path: '/c' } })))
      .toThrow(/expose\.scheme = "internet-facing" is invalid: differs from "internal" used by 'shop\/A' in the same Ingress group "shop"/);
    expect(() => new HaMicroservice(chart, 'D', minimalProps({ name: 'd', expose: { groupName: 'shop', host: 'shop.example.com', path: '/a' } })))
      .toThrow(/expose\.path = "\/a" is invalid: routes host "shop\.example\.com" and path "\/a" already routed in Ingress group "shop"/);
    // Another app starts with empty groups.
    expect(() => new HaMicroservice(new Chart(Testing.app(), 'other'), 'A', minimalProps({ expose: { groupName: 'shop', scheme: LoadBalancerScheme.INTERNET_FACING } })))
      .not.toThrow();
  });

  test('connectTo refuses to guess a namespace', () => {
    const app = Testing.app();
    const a = new HaMicroservice(new Chart(app, 'a', { namespace: 'web' }), 'A', minimalProps({ name: 'a' }));
    const b = new HaMicroservice(new Chart(app, 'b'), 'B', minimalProps({ name: 'b' }));
    expect(() => a.connectTo(b)).toThrow(/connectTo\(b\) cannot tell which namespace 'b' runs in: its chart has no namespace while 'a' is in 'web'/);
  });

  test('memory target defaults to 80% and is not bound by the CPU stability rule', () => {
    const s = synthService(minimalProps({ autoscaling: { memoryTargetUtilization: 95 } }));
    expect(s.service.settings).toMatchObject({ cpuTargetUtilization: 45, memoryTargetUtilization: 95 });
  });
});
