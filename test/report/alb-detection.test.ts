import { changeHelmValues, failing, object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { SourcedObject, StackInput } from '../../src/report/private/inputs';

const FRONTEND = 'shop/Deployment/frontend';
const CATALOG = 'shop/Deployment/catalog';
const INGRESS = 'shop/Ingress/frontend';
const READINESS_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

const example = synthesizeExample();
/** The stacks of a copy that install the Load Balancer Controller. */
const controllerStacks = (stacks: StackInput[]) =>
  stacks.filter((s) => Object.values<any>(s.template.Resources ?? {}).some((r) => r.Properties?.Chart === 'aws-load-balancer-controller'));
const add = (manifests: SourcedObject[], ...objects: any[]) => manifests.push(...objects.map((o) => ({ object: o, source: 'extra.yaml' })));
const ingressClass = (name: string, controller: string, annotations: { [key: string]: string } = {}, spec: any = {}) =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name, annotations }, spec: { controller, ...spec } });
const ingress = (manifests: SourcedObject[]) => object(manifests, 'Ingress', 'frontend');
const dropReadinessLabel = (manifests: SourcedObject[]) => { delete object(manifests, 'Namespace', 'shop').metadata.labels[READINESS_LABEL]; };
const dropZonalShift = (manifests: SourcedObject[]) => {
  const annotations = ingress(manifests).metadata.annotations;
  const key = 'alb.ingress.kubernetes.io/load-balancer-attributes';
  annotations[key] = annotations[key].replace(/,?zonal_shift\.config\.enabled=true/, '');
};

describe('which Ingresses are ALBs', () => {
  test('an ingressClassName resolved through its IngressClass, whatever its name', () => {
    const report = reportOf(example, (copy) => {
      add(copy.manifests, ingressClass('aws', 'ingress.k8s.aws/alb'));
      ingress(copy.manifests).spec.ingressClassName = 'aws';
    });
    expect(failing(report)).toEqual([]);
    expect(row(report, 'az-evacuation', INGRESS).status).toBe(RowStatus.PASS);
    expect(row(report, 'rollout-no-drop', FRONTEND).evidence).toContain('Ingress/frontend');
  });

  test('so dropping the readiness-gate label fails the rollout row behind a class named otherwise', () => {
    const report = reportOf(example, (copy) => {
      add(copy.manifests, ingressClass('aws', 'ingress.k8s.aws/alb'));
      ingress(copy.manifests).spec.ingressClassName = 'aws';
      dropReadinessLabel(copy.manifests);
    });
    const rollout = row(report, 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.fix).toContain(`label the namespace ${READINESS_LABEL}: enabled`);
  });

  test('an Ingress without class gets the default IngressClass, from the manifests or the controller chart', () => {
    const fromManifests = reportOf(example, (copy) => {
      add(copy.manifests, ingressClass('shared', 'ingress.k8s.aws/alb', { 'ingressclass.kubernetes.io/is-default-class': 'true' }));
      delete ingress(copy.manifests).spec.ingressClassName;
      dropZonalShift(copy.manifests);
    });
    expect(row(fromManifests, 'az-evacuation', INGRESS)).toMatchObject({ status: RowStatus.FAIL, fix: expect.stringContaining('add zonal_shift.config.enabled=true') });

    const fromChart = reportOf(example, (copy) => {
      for (const stack of controllerStacks(copy.stacks)) {
        changeHelmValues(stack, 'aws-load-balancer-controller', (values) => { values.ingressClassConfig = { default: true }; });
      }
      delete ingress(copy.manifests).spec.ingressClassName;
      dropReadinessLabel(copy.manifests);
    });
    expect(row(fromChart, 'rollout-no-drop', FRONTEND).status).toBe(RowStatus.FAIL);
  });

  test('a class of another controller is no ALB, even named alb; the legacy annotation wins over the class', () => {
    const nginx = reportOf(example, (copy) => {
      add(copy.manifests, ingressClass('alb', 'k8s.io/ingress-nginx'));
      dropReadinessLabel(copy.manifests);
    });
    // traffic-path judges the Ingress whatever controller serves it; no load-balancer row does.
    expect(nginx.rows.filter((r) => r.subject === INGRESS && r.id !== 'traffic-path')).toEqual([]);
    expect(row(nginx, 'rollout-no-drop', FRONTEND).status).toBe(RowStatus.PASS);

    const annotated = reportOf(example, (copy) => { ingress(copy.manifests).metadata.annotations['kubernetes.io/ingress.class'] = 'nginx'; });
    expect(annotated.rows.filter((r) => r.subject === INGRESS && r.id !== 'traffic-path')).toEqual([]);
  });

  test('IngressClassParams override the Ingress: the target type and the load balancer attributes', () => {
    const report = reportOf(example, (copy) => {
      add(copy.manifests,
        ingressClass('alb', 'ingress.k8s.aws/alb', {}, { parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'shop' } }),
        {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'IngressClassParams',
          metadata: { name: 'shop' },
          spec: { targetType: 'instance', loadBalancerAttributes: [{ key: 'zonal_shift.config.enabled', value: 'false' }] },
        });
    });
    expect(row(report, 'rollout-no-drop', FRONTEND)).toMatchObject({ status: RowStatus.FAIL, fix: expect.stringContaining('set targetType: ip in the IngressClassParams') });
    expect(row(report, 'az-evacuation', INGRESS)).toMatchObject({ status: RowStatus.FAIL, fix: expect.stringContaining('in the loadBalancerAttributes of the IngressClassParams') });
  });

  test('the Service\'s alb annotations win over the Ingress\'s for its target group', () => {
    const report = reportOf(example, (copy) => {
      object(copy.manifests, 'Service', 'frontend').metadata.annotations = { 'alb.ingress.kubernetes.io/target-type': 'instance' };
    });
    expect(row(report, 'rollout-no-drop', FRONTEND).arithmetic).toContain('✗ ALB target-type instance (alb.ingress.kubernetes.io/target-type)');
  });
});

describe('Services the Load Balancer Controller gives an NLB', () => {
  const NLB = 'service.beta.kubernetes.io/aws-load-balancer';
  const READY = {
    [`${NLB}-nlb-target-type`]: 'ip',
    [`${NLB}-target-group-attributes`]: 'deregistration_delay.timeout_seconds=45',
    [`${NLB}-healthcheck-interval`]: '5',
    [`${NLB}-healthcheck-healthy-threshold`]: '2',
    [`${NLB}-attributes`]: 'zonal_shift.config.enabled=true',
  };
  const nlb = (service: string, annotations: { [key: string]: string }, spec: any = { loadBalancerClass: 'service.k8s.aws/nlb' }) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${service}-nlb`, namespace: 'shop', annotations },
    spec: {
      type: 'LoadBalancer',
      selector: { 'app.kubernetes.io/instance': service, 'app.kubernetes.io/name': service },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      ...spec,
    },
  });
  /** The frontend behind an NLB only: its ALB Ingress removed. */
  type Change = (manifests: SourcedObject[]) => void;
  const frontendNlb = (annotations: { [key: string]: string }, change: Change = () => {}) => reportOf(example, (copy) => {
    copy.manifests.splice(copy.manifests.findIndex((o) => o.object.kind === 'Ingress'), 1);
    add(copy.manifests, nlb('frontend', annotations));
    change(copy.manifests);
  });

  test('with ip targets, its draining and its health checks set, the frontend passes behind it', () => {
    const report = frontendNlb(READY);
    expect(failing(report)).toEqual([]);
    expect(row(report, 'node-loss', FRONTEND).arithmetic).toContain('NLB health checks 2 x 5 s');
    expect(row(report, 'az-evacuation', 'shop/Service/frontend-nlb').status).toBe(RowStatus.PASS);
  });

  test('without the readiness-gate label the rollout row fails', () => {
    const rollout = row(frontendNlb(READY, dropReadinessLabel), 'rollout-no-drop', FRONTEND);
    expect(rollout.status).toBe(RowStatus.FAIL);
    expect(rollout.arithmetic).toContain('a pod is Ready before its NLB target is healthy');
  });

  test('the NLB defaults (300 s deregistration, 3 x 10 s health checks, no zonal shift) fail, citing the annotations to set', () => {
    const report = frontendNlb({ [`${NLB}-nlb-target-type`]: 'ip' });
    expect(row(report, 'rollout-no-drop', FRONTEND)).toMatchObject({
      status: RowStatus.FAIL,
      fix: expect.stringContaining(`set deregistration_delay.timeout_seconds=45 in ${NLB}-target-group-attributes`),
    });
    expect(row(report, 'node-loss', FRONTEND).arithmetic).toContain('30 NLB health checks 3 x 10 s');
    expect(row(report, 'node-loss', FRONTEND).status).toBe(RowStatus.FAIL);
    expect(row(report, 'az-evacuation', 'shop/Service/frontend-nlb')).toMatchObject({ status: RowStatus.FAIL, fix: expect.stringContaining(`${NLB}-attributes`) });
  });

  test('instance targets fail; the legacy nlb-ip type means ip targets; external without a target type is named', () => {
    const instance = frontendNlb({ ...READY, [`${NLB}-nlb-target-type`]: 'instance' });
    expect(row(instance, 'rollout-no-drop', FRONTEND).fix).toContain(`annotate Service/frontend-nlb with ${NLB}-nlb-target-type: ip`);
    const legacy = reportOf(example, (copy) => {
      const { [`${NLB}-nlb-target-type`]: _, ...rest } = READY;
      add(copy.manifests, nlb('frontend', { ...rest, [`${NLB}-type`]: 'nlb-ip' }, {}));
    });
    expect(row(legacy, 'rollout-no-drop', FRONTEND).arithmetic).toContain(`✓ Service shop/frontend-nlb: NLB target-type ip (${NLB}-type nlb-ip)`);
    const external = reportOf(example, (copy) => {
      const { [`${NLB}-nlb-target-type`]: _, ...rest } = READY;
      add(copy.manifests, nlb('frontend', { ...rest, [`${NLB}-type`]: 'external' }, {}));
    });
    expect(row(external, 'rollout-no-drop', FRONTEND).arithmetic).toContain('external without an nlb-target-type: nothing provisions it');
  });

  test('in the mesh, an NLB to a STRICT port is refused', () => {
    const report = reportOf(example, (copy) => { add(copy.manifests, nlb('catalog', READY)); });
    expect(row(report, 'rollout-no-drop', CATALOG)).toMatchObject({ status: RowStatus.FAIL, fix: expect.stringContaining('make port 8080 PERMISSIVE') });
  });

  test('a LoadBalancer Service without class is the controller\'s only where its webhook is on', () => {
    const unclassed = (webhook: boolean) => reportOf(example, (copy) => {
      if (webhook) {
        for (const stack of controllerStacks(copy.stacks)) {
          changeHelmValues(stack, 'aws-load-balancer-controller', (values) => { values.enableServiceMutatorWebhook = true; });
        }
      }
      add(copy.manifests, nlb('catalog', {}, {}));
    });
    expect(unclassed(false).rows.filter((r) => r.subject === 'shop/Service/catalog-nlb' && r.id !== 'traffic-path')).toEqual([]);
    expect(row(unclassed(true), 'az-evacuation', 'shop/Service/catalog-nlb').status).toBe(RowStatus.FAIL);
    expect(row(unclassed(true), 'rollout-no-drop', CATALOG).status).toBe(RowStatus.FAIL);
  });
});
