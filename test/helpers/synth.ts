import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { Manifest, validateManifests } from './schema';
import { HaMicroservice, HaMicroserviceProps } from '../../src';

/** The smallest valid props; tests override what they are about. */
export function minimalProps(overrides: Partial<HaMicroserviceProps> = {}): HaMicroserviceProps {
  return {
    name: 'api',
    image: 'public.ecr.aws/example/api:1.0.0',
    containerPort: 8080,
    cpu: Cpu.millis(250),
    memory: Size.mebibytes(256),
    ...overrides,
  };
}

/** A synthesized HaMicroservice: the construct and its manifests, schema-validated. */
export interface SynthesizedService {
  readonly service: HaMicroservice;
  readonly manifests: Manifest[];
  /** The one manifest of the given kind. */
  of(kind: string): Manifest;
  /** Whether a manifest of that kind was emitted. */
  has(kind: string): boolean;
}

/** Synthesizes one HaMicroservice in its own chart and validates every manifest against its schema. */
export function synthService(props: HaMicroserviceProps, namespace = 'shop'): SynthesizedService {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const service = new HaMicroservice(chart, 'Service', props);
  const manifests = Testing.synth(chart) as Manifest[];
  validateManifests(manifests);
  return {
    service,
    manifests,
    of(kind: string) {
      const found = manifests.filter((m) => m.kind === kind);
      if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
      return found[0];
    },
    has: (kind: string) => manifests.some((m) => m.kind === kind),
  };
}

/** The pod spec of a synthesized service's Deployment. */
export function podSpec(synthesized: SynthesizedService): any {
  return synthesized.of('Deployment').spec.template.spec;
}
