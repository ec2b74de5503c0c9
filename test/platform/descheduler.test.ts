import { helmChart, synthPlatform } from '../helpers/platform';
import { DESCHEDULER_CHART_VERSION } from '../../src/versions';

describe('the descheduler restores the zone spread after zone-blind scale-downs', () => {
  const { template } = synthPlatform({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  const chart = helmChart(template, 'descheduler');

  test('pinned, HA (two replicas with leader election), on the system nodes', () => {
    expect(chart.properties).toMatchObject({ Version: DESCHEDULER_CHART_VERSION, Namespace: 'kube-system', Release: 'descheduler' });
    expect(chart.values).toMatchObject({
      kind: 'Deployment', replicas: 2, leaderElection: { enabled: true }, deschedulingInterval: '5m',
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    });
  });

  test('runs only the spread plugin, for hard constraints, and may evict pods with emptyDir volumes', () => {
    expect(chart.values.deschedulerPolicy).toEqual({
      profiles: [{
        name: 'zone-spread',
        pluginConfig: [
          { name: 'DefaultEvictor', args: { nodeFit: true, podProtections: { defaultDisabled: ['PodsWithLocalStorage'], extraEnabled: ['PodsWithPVC'] } } },
          { name: 'RemovePodsViolatingTopologySpreadConstraint', args: { constraints: ['DoNotSchedule'] } },
        ],
        plugins: { balance: { enabled: ['RemovePodsViolatingTopologySpreadConstraint'] } },
      }],
    });
  });
});
