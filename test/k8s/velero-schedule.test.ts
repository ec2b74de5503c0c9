import { Chart, Duration, Testing } from 'cdk8s';
import { VeleroSchedule } from '../../src';
import { validateManifests } from '../helpers/schema';

function synth(props: Partial<ConstructorParameters<typeof VeleroSchedule>[2]> = {}) {
  const chart = new Chart(Testing.app(), 'Test');
  const schedule = new VeleroSchedule(chart, 'Schedule', { name: 'orders', rpo: Duration.hours(4), ...props });
  const manifests = Testing.synth(chart) as any[];
  validateManifests(manifests);
  return { schedule, manifest: manifests[0] };
}

describe('VeleroSchedule', () => {
  test('frequency and TTL from the RPO and the retention; data moved to the bucket by default', () => {
    const { schedule, manifest } = synth({ retention: Duration.days(14), includedNamespaces: ['orders'], matchLabels: { tier: 'data' } });
    expect(schedule.settings).toMatchObject({ intervalMinutes: 240, cron: '0 */4 * * *', ttl: '336h0m0s' });
    expect(manifest).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'orders', namespace: 'velero' },
      spec: {
        schedule: '0 */4 * * *',
        paused: false,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: ['orders'],
          labelSelector: { matchLabels: { tier: 'data' } },
          snapshotVolumes: true,
          snapshotMoveData: true,
          storageLocation: 'default',
          ttl: '336h0m0s',
        },
      },
    });
  });

  test.each([
    [15, '*/15 * * * *'], [45, '*/30 * * * *'], [90, '0 */1 * * *'], [600, '0 */8 * * *'], [2880, '0 3 * * *'],
  ])('an RPO of %i minutes backs up on "%s"', (minutes, cron) => {
    expect(synth({ rpo: Duration.minutes(minutes) }).manifest.spec.schedule).toBe(cron);
  });

  test('an upload timeout bounds the data mover (itemOperationTimeout); without one Velero\'s own applies', () => {
    expect(synth({ uploadTimeout: Duration.minutes(15) }).manifest.spec.template.itemOperationTimeout).toBe('15m');
    expect(synth().manifest.spec.template.itemOperationTimeout).toBeUndefined();
  });

  test('without snapshots there is nothing to move', () => {
    expect(synth({ snapshotVolumes: false }).manifest.spec.template).toMatchObject({ snapshotVolumes: false, snapshotMoveData: false });
  });

  test.each([
    [{ rpo: Duration.minutes(5) }, /rpo = "5 min" is invalid: must be at least 15 minutes/],
    [{ retention: Duration.hours(36) }, /retention = "1.5 days" is invalid: must be a whole number of days/],
    [{ uploadTimeout: Duration.millis(1500) }, /uploadTimeout = .* is invalid/],
    [{ snapshotVolumes: false, moveSnapshotData: true }, /moveSnapshotData = true is invalid: needs snapshotVolumes/],
    [{ includedNamespaces: ['Orders'] }, /includedNamespaces\[0\] = "Orders" is invalid/],
    [{ name: 'Nightly' }, /name = "Nightly" is invalid/],
  ])('rejects %o', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });
});
