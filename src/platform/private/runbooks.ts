import { RecoverySetup, RegionSwitchFacts } from './disaster-recovery';
import { backupVaultName, copyVaultName, veleroBucketName } from './recovery-names';
import { PLATFORM_SCHEDULE, PRIMARY_LOCATION, RECOVERY_LOCATION } from './velero';
import { VELERO_NAMESPACE } from '../../k8s/velero/velero-schedule';
import { Runbook } from '../runbook';

/** What the runbooks are written from: names the synthesized platform really has. */
export interface RunbookFacts {
  readonly clusterName: string;
  readonly region: string;
  readonly availabilityZones: string[];
  readonly drillNames: string[];
  readonly recovery?: RecoverySetup & {
    readonly strategy: string;
    readonly dnsZoneName?: string;
    readonly dnsZoneId?: string;
    /** The schedule of the services' namespaces and volumes, which failover and failback restore. */
    readonly veleroSchedule: string;
    /** The Region switch plan that failover and failback run. */
    readonly regionSwitch: RegionSwitchFacts;
  };
}


/** Shell lines every runbook starts with: the account is read, never written into Git. */
const preamble = (region: string) => [
  '```sh',
  'ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)',
  `export AWS_REGION=${region}`,
  '```',
];

const code = (...lines: string[]) => ['```sh', ...lines, '```'];

/** The runbooks of a platform: AZ evacuation always; failover, failback and both restores with disaster recovery. */
export function renderRunbooks(facts: RunbookFacts): Runbook[] {
  const { clusterName: cluster, region } = facts;
  const clusterArn = `arn:aws:eks:${region}:$ACCOUNT_ID:cluster/${cluster}`;
  const docs: Runbook[] = [];
  const doc = (fileName: string, title: string, body: string[]) =>
    docs.push({ fileName, markdown: [`# ${title}`, '', `Cluster \`${cluster}\`. Generated from the platform's code: regenerate, never edit.`, '', ...body, ''].join('\n') });

  const zone = facts.availabilityZones[0];
  doc('az-evacuation.md', `Evacuate an Availability Zone (${facts.availabilityZones.join(', ')})`, [
    'When: one zone shows errors or latency the others do not (ALB 5xx or target health in one zone, nodes NotReady in one zone).',
    'Replicas are spread over every zone and the HPA targets leave room for the loss of one, so moving away from a zone costs capacity, not availability.',
    '',
    '## 1. Set up',
    ...preamble(region),
    `Set the zone to leave (here \`${zone}\`) and find its zone ID, which zonal shift takes:`,
    ...code(`ZONE=${zone}`, 'ZONE_ID=$(aws ec2 describe-availability-zones --zone-names "$ZONE" --query "AvailabilityZones[0].ZoneId" --output text)'),
    '## 2. Shift traffic and capacity away (ARC zonal shift)',
    'The cluster: EKS stops sending endpoint traffic there and Karpenter stops launching nodes in the zone.',
    ...code(`aws arc-zonal-shift start-zonal-shift --resource-identifier "${clusterArn}" --away-from "$ZONE_ID" --expires-in 3h --comment "evacuate $ZONE"`),
    'Each ALB the Load Balancer Controller created for the cluster:',
    ...code(
      `for ALB in $(aws resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:loadbalancer --tag-filters Key=elbv2.k8s.aws/cluster,Values=${cluster} --query "ResourceTagMappingList[].ResourceARN" --output text); do`,
      '  aws arc-zonal-shift start-zonal-shift --resource-identifier "$ALB" --away-from "$ZONE_ID" --expires-in 3h --comment "evacuate $ZONE"',
      'done'),
    '## 3. Move the pods',
    'Cordon the zone\'s nodes and drain them one at a time: PodDisruptionBudgets keep every service serving while its pods move.',
    ...code(
      'kubectl cordon -l "topology.kubernetes.io/zone=$ZONE"',
      'for NODE in $(kubectl get nodes -l "topology.kubernetes.io/zone=$ZONE" -o name); do',
      '  kubectl drain "$NODE" --ignore-daemonsets --delete-emptydir-data --timeout=10m',
      'done'),
    '## 4. Check',
    ...code('kubectl get pods -A -o wide --field-selector=status.phase!=Running', 'kubectl get nodes -L topology.kubernetes.io/zone',
      'aws arc-zonal-shift list-zonal-shifts --status ACTIVE'),
    '## 5. Return',
    'When the zone is healthy again: cancel the shifts and uncordon. The descheduler (or the next rollout) spreads replicas back.',
    ...code(
      'for SHIFT in $(aws arc-zonal-shift list-zonal-shifts --status ACTIVE --query "items[].zonalShiftId" --output text); do aws arc-zonal-shift cancel-zonal-shift --zonal-shift-id "$SHIFT"; done',
      'kubectl uncordon -l "topology.kubernetes.io/zone=$ZONE"'),
    '## Drill',
    'Rehearse with the AWS FIS templates (stopped automatically when the ALBs answer 5xx):',
    ...code(...facts.drillNames.map((name) =>
      `aws fis start-experiment --experiment-template-id $(aws fis list-experiment-templates --query "experimentTemplates[?tags.Name=='${name}'].id | [0]" --output text)  # ${name}`)),
  ]);

  const recovery = facts.recovery;
  if (!recovery) return docs;
  const { primaryRegion, secondaryRegion, strategy } = recovery;
  const primaryBucket = veleroBucketName(cluster, primaryRegion, '$ACCOUNT_ID');
  const replicaBucket = veleroBucketName(cluster, secondaryRegion, '$ACCOUNT_ID');
  const velero = `velero --namespace ${VELERO_NAMESPACE}`;
  const dns = recovery.dnsZoneName
    ? [`Route 53 answers with the standby's ALB as soon as the primary's has no healthy target. Check the failover records of \`${recovery.dnsZoneName}\`:`,
      ...code(`aws route53 list-resource-record-sets --hosted-zone-id ${recovery.dnsZoneId} --query "ResourceRecordSets[?Failover].[Name,Failover,SetIdentifier,AliasTarget.DNSName]" --output table`)]
    : ['No DNS failover is configured: point the public names at the standby\'s load balancers now.'];
  const standbyCluster = `--region ${secondaryRegion} --name ${cluster}`;

  // The services' state is their volumes: everything else comes from Git (Argo CD) and Secrets Manager (External Secrets),
  // and the platform's objects are each region's own (node role, zones, Argo CD's cluster secret), never restored across regions.
  const volumes = '--include-resources persistentvolumeclaims,persistentvolumes';
  /** The newest completed backup in a location, of the services' schedule or named by a prefix. */
  const latest = (location: string, of: string) =>
    `BACKUP=$(${velero} backup get --output json | jq -r '[.items[] | select(.spec.storageLocation=="${location}" and .status.phase=="Completed" and ${of})] ` +
    '| sort_by(.metadata.creationTimestamp) | last | .metadata.name\')';
  const ofServicesSchedule = `.metadata.labels["velero.io/schedule-name"]=="${recovery.veleroSchedule}"`;
  const schedules = [recovery.veleroSchedule, PLATFORM_SCHEDULE];
  const pauseSchedules = (paused: boolean, context = '') => schedules.map((name) =>
    `kubectl${context} -n ${VELERO_NAMESPACE} patch schedule ${name} --type merge -p '{"spec":{"paused":${paused}}}'`);
  const restoreNote = 'Only the services\' volumes are restored, and nothing that exists is overwritten (Velero skips existing objects): ' +
    'the claims come back with their data before the services that mount them start.';

  doc('failover.md', `Fail over from ${primaryRegion} to ${secondaryRegion} (${strategy})`, [
    `When: ${primaryRegion} cannot serve and will not within the RTO. Data written after the last replicated backup is lost (the RPO).`,
    '',
    '## 1. Set up',
    ...preamble(secondaryRegion),
    ...(strategy === 'backup-and-restore' ? [
      '## 2. Deploy the platform in the recovery region',
      `Deploy the standby stack (the same code, its stack in ${secondaryRegion}); about an hour.`,
      ...code('npx cdk deploy --all --require-approval never'),
    ] : ['## 2. The standby platform is already running']),
    ...code(`aws eks update-kubeconfig ${standbyCluster}`),
    '## 3. Restore the services\' volumes from the replicated backups',
    `Velero in ${secondaryRegion} reads the primary's backups from \`${replicaBucket}\` (location \`${PRIMARY_LOCATION}\`, read-only). ${restoreNote}`,
    ...(strategy === 'warm-standby' ? ['The warm standby\'s services already run: claims they hold keep the standby\'s data, and only missing claims are restored.'] : []),
    ...code(`${velero} backup-location get`, latest(PRIMARY_LOCATION, ofServicesSchedule), 'echo "restoring $BACKUP"',
      `${velero} restore create failover-$(date +%Y%m%d%H%M) --from-backup "$BACKUP" ${volumes} --wait`),
    '## 4. Start the services',
    ...(strategy === 'warm-standby'
      ? ['ArgoCD already syncs the services from Git; check they are healthy:']
      : ['The root Application waits for this sync; Karpenter then launches the nodes the services need.',
        ...code('kubectl -n argocd patch application root --type merge -p \'{"operation":{"sync":{}},"spec":{"syncPolicy":{"automated":{"prune":true,"selfHeal":true}}}}\'')]),
    ...code('kubectl -n argocd get applications'),
    '## 5. Send traffic',
    ...dns,
    '## 6. Protect the new primary',
    'Start the standby\'s own backups (written to its own prefix of the same bucket, which the primary reads back on failback):',
    ...code(...pauseSchedules(false)),
  ]);

  doc('failback.md', `Fail back from ${secondaryRegion} to ${primaryRegion}`, [
    `When: ${primaryRegion} is healthy again and a maintenance window is agreed. Everything written in ${secondaryRegion} since failover must come back.`,
    '',
    '## 1. Set up',
    ...preamble(primaryRegion),
    ...code(`aws eks update-kubeconfig --region ${primaryRegion} --name ${cluster} --alias primary`,
      `aws eks update-kubeconfig --region ${secondaryRegion} --name ${cluster} --alias standby`),
    '## 2. Take a final backup in the recovery region',
    `The same scope as its schedule \`${recovery.veleroSchedule}\`: the services' namespaces and volumes.`,
    ...code(`${velero} --kubecontext standby backup create failback-$(date +%Y%m%d%H%M) --from-schedule ${recovery.veleroSchedule} --wait`),
    '## 3. Restore it in the primary',
    `The primary's Velero reads the recovery region's backups from \`${replicaBucket}\` (location \`${RECOVERY_LOCATION}\`, read-only, prefix \`${secondaryRegion}\`). ${restoreNote} ` +
      'A claim the primary still holds keeps its older data: delete it first (its pods stopped) where the recovery region\'s data must win.',
    ...code('kubectl config use-context primary', `${velero} backup-location get`,
      latest(RECOVERY_LOCATION, '(.metadata.name | startswith("failback-"))'),
      'echo "restoring $BACKUP"',
      `${velero} restore create failback-$(date +%Y%m%d%H%M) --from-backup "$BACKUP" ${volumes} --wait`),
    '## 4. Send traffic back',
    ...(recovery.dnsZoneName ? ['Route 53 returns to the PRIMARY records as soon as the primary\'s ALBs have healthy targets.'] : ['Point the public names back at the primary\'s load balancers.']),
    '## 5. Return the recovery region to standby',
    ...code(...pauseSchedules(true, ' --context standby')),
  ]);

  doc('restore-aws-backup.md', 'Restore an EBS volume from AWS Backup', [
    `Recovery points are in \`${backupVaultName(cluster)}\` (${primaryRegion}) and copied to \`${copyVaultName(cluster)}\` (${secondaryRegion}). A restore test runs every Sunday.`,
    '',
    ...preamble(primaryRegion),
    '## 1. Pick a recovery point',
    ...code(`VAULT=${backupVaultName(cluster)}  # ${copyVaultName(cluster)} with AWS_REGION=${secondaryRegion} when ${primaryRegion} is lost`,
      'aws backup list-recovery-points-by-backup-vault --backup-vault-name "$VAULT" --by-resource-type EBS --query "RecoveryPoints[].[RecoveryPointArn,CreationDate,ResourceArn]" --output table',
      'RECOVERY_POINT_ARN=$(aws backup list-recovery-points-by-backup-vault --backup-vault-name "$VAULT" --by-resource-type EBS --query "sort_by(RecoveryPoints,&CreationDate)[-1].RecoveryPointArn" --output text)'),
    '## 2. Restore it into a zone of the cluster',
    ...code(`aws backup start-restore-job --recovery-point-arn "$RECOVERY_POINT_ARN" --iam-role-arn "arn:aws:iam::$ACCOUNT_ID:role/service-role/AWSBackupDefaultServiceRole" --metadata '{"availabilityZone":"${zone}","encrypted":"true","volumeType":"gp3"}'`,
      'aws backup list-restore-jobs --by-recovery-point-arn "$RECOVERY_POINT_ARN"'),
    '## 3. Attach it to the workload',
    'Create a PersistentVolume for the restored volume ID (driver `ebs.csi.aws.com`, its zone as node affinity) and bind the claim to it, or restore the namespace with Velero instead (restore-velero.md), which recreates claims and data together.',
  ]);

  doc('restore-velero.md', 'Restore Kubernetes resources and volumes with Velero', [
    `Velero backs up the services' namespaces on schedule \`${recovery.veleroSchedule}\` (every namespace but the platform's), moving volume data into \`${primaryBucket}\`, ` +
      `which replicates to \`${replicaBucket}\` in ${secondaryRegion}, and the platform's own namespaces and cluster objects on schedule \`${PLATFORM_SCHEDULE}\`, ` +
      'which is restored in this region only: its objects name this region\'s roles, zones and keys.',
    '',
    ...preamble(primaryRegion),
    ...code(`aws eks update-kubeconfig --region ${primaryRegion} --name ${cluster}`),
    '## 1. Pick a backup',
    ...code(`${velero} backup get --selector velero.io/schedule-name=${recovery.veleroSchedule}`,
      `BACKUP=$(${velero} backup get --output json | jq -r '[.items[] | select(.status.phase=="Completed")] | sort_by(.metadata.creationTimestamp) | last | .metadata.name')`,
      `${velero} backup describe "$BACKUP" --details`),
    '## 2. Restore',
    'One namespace, next to the running one first if unsure (`--namespace-mappings shop:shop-restored`):',
    ...code('NAMESPACE=default  # the namespace to restore',
      `${velero} restore create "restore-$NAMESPACE-$(date +%Y%m%d%H%M)" --from-backup "$BACKUP" --include-namespaces "$NAMESPACE" --wait`),
    '## 3. Check',
    ...code(`${velero} restore get`, 'kubectl -n "$NAMESPACE" get pods,pvc'),
    'ArgoCD re-syncs Git-managed objects; the restore brings back what Git does not hold (volume data, generated secrets, custom resources created at run time).',
  ]);
  return docs;
}
