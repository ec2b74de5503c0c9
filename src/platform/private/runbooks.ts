import { RecoverySetup, RegionSwitchFacts } from './disaster-recovery';
import { backupVaultName, copyVaultName, veleroBucketName } from './recovery-names';
import { dnsStepName } from './region-switch';
import { PLATFORM_SCHEDULE, PRIMARY_LOCATION, RECOVERY_LOCATION } from './velero';
import { VELERO_NAMESPACE } from '../../k8s/velero/velero-schedule';
import { scalingBehavior } from '../../policy/autoscaling';
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
  const standbyCluster = `--region ${secondaryRegion} --name ${cluster}`;

  // The services' state is their volumes: everything else comes from Git (Argo CD) and Secrets Manager (External Secrets),
  // and the platform's objects are each region's own (node role, zones, Argo CD's cluster secret), never restored across regions.
  const volumes = '--include-resources persistentvolumeclaims,persistentvolumes';
  /** The newest completed backup in a location, of the services' schedule or named by a prefix. */
  // Velero prints one backup as an object, several as a list: `.items // [.]` reads both; an empty answer stops the runbook.
  const latest = (location: string, of: string) =>
    `BACKUP=$(${velero} backup get --output json | jq -r '[(.items // [.])[] | select(.spec.storageLocation=="${location}" and .status.phase=="Completed" and ${of})] ` +
    '| sort_by(.metadata.creationTimestamp) | last | .metadata.name // empty\') && test -n "$BACKUP" || { echo "no completed backup found"; exit 1; }';
  const ofServicesSchedule = `.metadata.labels["velero.io/schedule-name"]=="${recovery.veleroSchedule}"`;
  const schedules = [recovery.veleroSchedule, PLATFORM_SCHEDULE];
  const pauseSchedules = (paused: boolean, context = '') => schedules.map((name) =>
    `kubectl${context} -n ${VELERO_NAMESPACE} patch schedule ${name} --type merge -p '{"spec":{"paused":${paused}}}'`);
  const restoreNote = 'Only the services\' volumes are restored, and nothing that exists is overwritten (Velero skips existing objects): ' +
    'the claims come back with their data before the services that mount them start.';

  // The plans are executed from the data plane of the region they activate: every call names that region, and the
  // plan's ARN (random suffix) is read there, never from the control plane, which may be the lost region's.
  const names = recovery.regionSwitch.names;
  const timeouts = recovery.regionSwitch.timeouts;
  const approverArn = `arn:aws:iam::$ACCOUNT_ID:role/${names.approvalRole}`;
  const arc = (where: string) => `aws arc-region-switch --region ${where}`;
  const planArn = (where: string, plan: string) =>
    `PLAN_ARN=$(${arc(where)} list-plans-in-region --query "plans[?name=='${plan}'].arn | [0]" --output text)`;
  const start = (where: string, comment: string) =>
    `EXECUTION_ID=$(${arc(where)} start-plan-execution --plan-arn "$PLAN_ARN" --target-region ${where} --action activate --comment "${comment}" --query executionId --output text)`;
  const watch = (where: string) =>
    `${arc(where)} get-plan-execution --plan-arn "$PLAN_ARN" --execution-id "$EXECUTION_ID" --query "[executionState, stepStates[].[name, status]]" --output json`;
  /** Approves a step as the approval role, whose principals are the only ones the plan accepts an approval from. */
  const approve = (where: string, step: string, comment: string) => [
    `APPROVER=$(aws sts assume-role --role-arn "${approverArn}" --role-session-name ${step} --query Credentials --output json)`,
    'AWS_ACCESS_KEY_ID=$(echo "$APPROVER" | jq -r .AccessKeyId) AWS_SECRET_ACCESS_KEY=$(echo "$APPROVER" | jq -r .SecretAccessKey) ' +
      'AWS_SESSION_TOKEN=$(echo "$APPROVER" | jq -r .SessionToken) \\',
    `  ${arc(where)} approve-plan-execution-step --plan-arn "$PLAN_ARN" --execution-id "$EXECUTION_ID" --step-name ${step} --approval approve --comment "${comment}"`,
  ];
  const scaled = recovery.regionSwitch.scaled;
  const records = recovery.regionSwitch.dnsRecordNames();
  /** Region switch disables the scaled autoscalers' scale-down; this gives back the policy HaMicroservice sets. */
  const restoreScaleDown = (context?: string) => scaled ? [
    `for SERVICE in ${scaled.services.join(' ')}; do`,
    `  kubectl${context ? ` --context ${context}` : ''} -n ${scaled.namespace} patch hpa "$SERVICE" --type merge -p '{"spec":{"behavior":{"scaleDown":{"selectPolicy":"${scalingBehavior().scaleDown!.selectPolicy}"}}}}'`,
    'done',
  ] : [];
  const planSteps = (label: string, withDns = true) => [
    ...(label === 'failover' ? (recovery.regionSwitch.failoverApprovalStep ? [`\`${recovery.regionSwitch.failoverApprovalStep}\` (waits up to ${timeouts.failoverApprovalMinutes!.value} min)`] : [])
      : [`\`${recovery.regionSwitch.failbackApprovalStep}\` (waits up to ${timeouts.failbackApprovalMinutes.value} min)`]),
    ...(scaled ? [`\`scale-${label}\` (${scaled.services.join(', ')} in \`${scaled.namespace}\` to the other region's replicas, up to ${timeouts.scalingMinutes!.value} min)`] : []),
    ...(withDns && records.length > 0 ? [`\`${dnsStepName(label, records)}\` (${records.join(', ')} to the activated region, up to ${timeouts.dnsMinutes.value} min)`] : []),
  ].join(', then ');
  const recordsTable = `aws route53 list-resource-record-sets --hosted-zone-id ${recovery.dnsZoneId} --query "ResourceRecordSets[?Failover].[Name,Failover,SetIdentifier,HealthCheckId]" --output table`;
  const healthChecks = recovery.dnsZoneName && records.length === 0 ? [
    '## 0. The failover records',
    `The plan has no DNS step: no failover record of \`${recovery.dnsZoneName}\` is in the platform's stack. Route 53 answers with the standby's records once the primary's are unhealthy:`,
    ...code(recordsTable),
  ] : recovery.dnsZoneName ? [
    '## 0. Before the first failover (once)',
    'The plan\'s Route 53 steps switch traffic by flipping health checks that Region switch creates for each record name and region after the plan is created. ' +
      'They move traffic only once each failover record carries its region\'s health check (with the record\'s own endpoint check, as the children of a calculated ' +
      'health check): CloudFormation cannot name them (they are created after the plan, in another region\'s stack for the PRIMARY records), so read them here, ' +
      'set them in `disasterRecovery.dnsFailover.records[].regionSwitchHealthCheckIds` (by region), and redeploy both stacks. ' +
      'The plan\'s evaluation stays `actionRequired` until every record carries its own.',
    ...preamble(secondaryRegion),
    ...code(planArn(secondaryRegion, names.plan),
      `${arc(secondaryRegion)} list-route53-health-checks-in-region --arn "$PLAN_ARN" --query "healthChecks[].[recordName, region, healthCheckId, status]" --output table`,
      recordsTable,
      `${arc(secondaryRegion)} get-plan-evaluation-status --plan-arn "$PLAN_ARN" --query "[evaluationState, warnings[].warningMessage]" --output json`),
  ] : [];

  doc('failover.md', `Fail over from ${primaryRegion} to ${secondaryRegion} (${strategy})`, [
    `When: ${primaryRegion} cannot serve and will not within the RTO. Data written after the last replicated backup is lost (the RPO).`,
    `The Region switch plan \`${names.plan}\` (in the standby's stack, run by the role \`${names.executionRole}\`) does what it can: ${planSteps('failover')}. ` +
      'What it cannot do (restore the services\' volumes with Velero, start a pilot light\'s services) is done below while it waits.',
    '',
    ...healthChecks,
    '## 1. Set up',
    ...preamble(secondaryRegion),
    ...(strategy === 'backup-and-restore' ? [
      '## 2. Deploy the platform in the recovery region',
      `Deploy the standby stack (the same code, its stack in ${secondaryRegion}), which also creates the plan; about ${timeouts.deployMinutes.value} min. ` +
        'Then give the failover records the plan\'s health checks (step 0).',
      ...code('npx cdk deploy --all --require-approval never'),
    ] : ['## 2. The standby platform is already running']),
    ...code(`aws eks update-kubeconfig ${standbyCluster}`, planArn(secondaryRegion, names.plan),
      `${arc(secondaryRegion)} get-plan-evaluation-status --plan-arn "$PLAN_ARN" --query "[evaluationState, warnings[].warningMessage]" --output json`),
    '## 3. Start the plan',
    ...code(start(secondaryRegion, `failover: ${primaryRegion} lost`), watch(secondaryRegion)),
    ...(recovery.regionSwitch.failoverApprovalStep
      ? [`It waits at \`${recovery.regionSwitch.failoverApprovalStep}\`: finish steps 4 and 5 within ${timeouts.failoverApprovalMinutes!.value} minutes, then approve (step 6).`]
      : ['It scales and switches DNS at once: restore the volumes (step 4) meanwhile.']),
    '## 4. Restore the services\' volumes from the replicated backups',
    `Velero in ${secondaryRegion} reads the primary's backups from \`${replicaBucket}\` (location \`${PRIMARY_LOCATION}\`, read-only). ${restoreNote}`,
    ...(strategy === 'warm-standby' ? ['The warm standby\'s services already run: claims they hold keep the standby\'s data, and only missing claims are restored.'] : []),
    ...code(`${velero} backup-location get`, latest(PRIMARY_LOCATION, ofServicesSchedule), 'echo "restoring $BACKUP"',
      `${velero} restore create failover-$(date +%Y%m%d%H%M) --from-backup "$BACKUP" ${volumes} --wait`),
    '## 5. Start the services',
    ...(strategy === 'warm-standby'
      ? ['ArgoCD already syncs the services from Git; check they are healthy:']
      : ['The root Application waits for this sync; Karpenter then launches the nodes the services need.',
        ...code('kubectl -n argocd patch application root --type merge -p \'{"operation":{"sync":{}},"spec":{"syncPolicy":{"automated":{"prune":true,"selfHeal":true}}}}\'')]),
    ...code('kubectl -n argocd get applications'),
    ...(recovery.regionSwitch.failoverApprovalStep ? [
      '## 6. Approve: the plan scales the services and sends traffic',
      ...code(...approve(secondaryRegion, recovery.regionSwitch.failoverApprovalStep, 'volumes restored, services synced'), watch(secondaryRegion)),
    ] : ['## 6. Watch the plan finish', ...code(watch(secondaryRegion))]),
    `Done when the state is \`completed\`; the execution records its actual recovery time against the plan's RTO (${recovery.regionSwitch.timeouts.detectionMinutes.value} min of Route 53 detection come before it).`,
    ...(recovery.dnsZoneName ? [] : ['No DNS failover is configured: point the public names at the standby\'s load balancers now.']),
    '## 7. Protect the new primary',
    'Start the standby\'s own backups (written to its own prefix of the same bucket, which the primary reads back on failback):',
    ...code(...pauseSchedules(false)),
    ...(scaled ? [
      'Once its traffic has settled (an hour after the switch), give the autoscalers back their scale-down, which the plan turned off, ' +
        'so the new primary sizes itself to its load instead of keeping the other region\'s peak:',
      ...code(...restoreScaleDown()),
    ] : []),
    'The secrets External Secrets reads here are read-only replicas of the primary\'s. To change one during the outage, promote it first ' +
      `with \`aws secretsmanager stop-replication-to-replica --region ${secondaryRegion}\` and the secret's name as \`--secret-id\`; a promoted secret no longer flows back.`,
  ]);

  doc('failback.md', `Fail back from ${secondaryRegion} to ${primaryRegion}`, [
    `When: ${primaryRegion} is healthy again and a maintenance window is agreed. Everything written in ${secondaryRegion} since failover must come back.`,
    `The plan \`${names.plan}\` activates ${primaryRegion}: ${planSteps('failback')}. The data comes back with Velero before the approval.`,
    '',
    '## 1. Set up',
    ...preamble(primaryRegion),
    ...code(`aws eks update-kubeconfig --region ${primaryRegion} --name ${cluster} --alias primary`,
      `aws eks update-kubeconfig --region ${secondaryRegion} --name ${cluster} --alias standby`, planArn(primaryRegion, names.plan)),
    '## 2. Start the plan',
    ...code(start(primaryRegion, `failback to ${primaryRegion}`), watch(primaryRegion)),
    `It waits at \`${recovery.regionSwitch.failbackApprovalStep}\`: finish steps 3 and 4 within ${timeouts.failbackApprovalMinutes.value} minutes.`,
    '## 3. Take a final backup in the recovery region',
    `The same scope as its schedule \`${recovery.veleroSchedule}\`: the services' namespaces and volumes.`,
    ...code(`${velero} --kubecontext standby backup create failback-$(date +%Y%m%d%H%M) --from-schedule ${recovery.veleroSchedule} --wait`),
    '## 4. Restore it in the primary',
    `The primary's Velero reads the recovery region's backups from \`${replicaBucket}\` (location \`${RECOVERY_LOCATION}\`, read-only, prefix \`${secondaryRegion}\`). ${restoreNote} ` +
      'A claim the primary still holds keeps its older data: delete it first (its pods stopped) where the recovery region\'s data must win.',
    ...code('kubectl config use-context primary', `${velero} backup-location get`,
      latest(RECOVERY_LOCATION, '(.metadata.name | startswith("failback-"))'),
      'echo "restoring $BACKUP"',
      `${velero} restore create failback-$(date +%Y%m%d%H%M) --from-backup "$BACKUP" ${volumes} --wait`),
    `Secrets promoted in ${secondaryRegion} during the outage do not flow back: copy their values to the primary's secrets now.`,
    '## 5. Approve: the plan scales the primary and sends traffic back',
    ...code(...approve(primaryRegion, recovery.regionSwitch.failbackApprovalStep, 'final backup restored'), watch(primaryRegion)),
    ...(recovery.dnsZoneName ? [] : ['No DNS failover is configured: point the public names back at the primary\'s load balancers.']),
    '## 6. Return the recovery region to standby',
    ...code(...pauseSchedules(true, ' --context standby'), ...restoreScaleDown('standby'), ...restoreScaleDown('primary')),
    ...(strategy === 'pilot-light' ? [
      'A pilot light\'s root Application waits for an operator again, as the next failover expects; the services it started keep running at ' +
        'their autoscalers\' minimum until you delete their Applications:',
      ...code('kubectl --context standby -n argocd patch application root --type json -p \'[{"op":"remove","path":"/spec/syncPolicy/automated"}]\''),
    ] : []),
  ]);

  const drill = names.drillPlan;
  // Backup and restore has no standby, and so no drill plan, until the disaster.
  if (strategy !== 'backup-and-restore') {
    doc('region-drill.md', `Drill the failover to ${secondaryRegion} without touching ${primaryRegion}`, [
      `When: every quarter, with ${primaryRegion} healthy. The drill runs the plan \`${drill}\`: the failover's own steps (${planSteps('failover', false)}) ` +
      `with the same role and timeouts, and no DNS step, so users stay on ${primaryRegion}. The volumes come from the replicated backups (read-only), so nothing of ${primaryRegion} is written. ` +
      `The DNS steps of \`${names.plan}\` are covered by its evaluation, which checks each health check is attached to its record.`,
      `Stop conditions: the plan's application-health alarms (the ALB 5xx alarm of ${secondaryRegion} and the drills' own alarms): the loop in step 3 cancels the drill when one is in ALARM.`,
      '',
      '## 1. Check the plans are ready',
      ...preamble(secondaryRegion),
      ...code(`aws eks update-kubeconfig ${standbyCluster} --alias standby`,
        planArn(secondaryRegion, names.plan),
        `${arc(secondaryRegion)} get-plan-evaluation-status --plan-arn "$PLAN_ARN" --query evaluationState --output text  # passed`,
        planArn(secondaryRegion, drill),
        `${arc(secondaryRegion)} get-plan-evaluation-status --plan-arn "$PLAN_ARN" --query evaluationState --output text  # passed`),
      '## 2. Start the drill',
      ...code(start(secondaryRegion, 'drill'), watch(secondaryRegion)),
      '## 3. Stop when an alarm fires',
      'In a second shell (with the same variables), until the drill ends:',
      ...code(
        `ALARMS=$(${arc(secondaryRegion)} get-plan-in-region --arn "$PLAN_ARN" --query "plan.associatedAlarms.*.resourceIdentifier" --output text | tr '\\t' '\\n' | sed 's/.*:alarm://')`,
        'while :; do',
        `  STATE=$(${arc(secondaryRegion)} get-plan-execution --plan-arn "$PLAN_ARN" --execution-id "$EXECUTION_ID" --query executionState --output text)`,
        '  case "$STATE" in completed|completedWithExceptions|canceled|failed|planExecutionTimedOut) break;; esac',
        '  if [ -n "$(aws cloudwatch describe-alarms --alarm-names $ALARMS --state-value ALARM --query "MetricAlarms[].AlarmName" --output text)" ]; then',
        `    ${arc(secondaryRegion)} cancel-plan-execution --plan-arn "$PLAN_ARN" --execution-id "$EXECUTION_ID" --comment "stop condition in ALARM"; break`,
        '  fi',
        '  sleep 30',
        'done'),
      ...(strategy === 'warm-standby' ? ['## 4. Nothing to restore: the warm standby serves its own copy'] : [
        '## 4. Restore and start the services, as failover.md steps 4 and 5 do (one sync, no automated sync)',
        ...code('kubectl config use-context standby', `${velero} backup-location get`, latest(PRIMARY_LOCATION, ofServicesSchedule),
          `${velero} restore create drill-$(date +%Y%m%d%H%M) --from-backup "$BACKUP" ${volumes} --wait`,
          'kubectl -n argocd patch application root --type merge -p \'{"operation":{"sync":{}}}\''),
      ]),
      ...(recovery.regionSwitch.failoverApprovalStep ? [
        '## 5. Approve within the failover\'s budget',
        `The approval has the failover's ${timeouts.failoverApprovalMinutes!.value} minutes: a drill that needs longer shows the RTO would be missed.`,
        ...code(...approve(secondaryRegion, recovery.regionSwitch.failoverApprovalStep, 'drill: volumes restored')),
      ] : ['## 5. Nothing to approve: the warm standby scales at once']),
      '## 6. Read the result',
      ...code(`${arc(secondaryRegion)} get-plan-execution --plan-arn "$PLAN_ARN" --execution-id "$EXECUTION_ID" --query "[executionState, actualRecoveryTime]" --output json`),
      `Add the ${timeouts.detectionMinutes.value} minutes of Route 53 detection and the DNS step's ${timeouts.dnsMinutes.value}: the sum must stay within the RTO.`,
      '## 7. Put the standby back',
      ...(strategy === 'warm-standby' ? ['Give the autoscalers their scale-down back:'] : ['The restored claims must go: a real failover restores only missing claims, and the drill\'s would win.']),
      ...code(
      // A Deployment at zero replicas is left alone by its autoscaler, and Git sets no replicas for Argo CD to restore.
        ...(strategy === 'warm-standby' || !scaled ? [] : [`kubectl --context standby -n ${scaled.namespace} scale deployment --all --replicas=0`,
          `kubectl --context standby -n ${scaled.namespace} delete pvc --all --wait=false`]),
        ...restoreScaleDown('standby')),
    ]);
  }

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
      `BACKUP=$(${velero} backup get --output json | jq -r '[(.items // [.])[] | select(.status.phase=="Completed")] | sort_by(.metadata.creationTimestamp) | last | .metadata.name // empty')`,
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
