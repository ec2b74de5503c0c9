import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, YamlOutputType } from 'cdk8s';
import { ShopChart } from './shop-chart';
import { HaMicroservice } from '../../src';
import { SHOP_RECOVERY_REGION, ShopPlatformStack, ShopRecoveryRegionStack } from '../platform/platform-stack';
import { figuresTable, stackFigures } from '../platform/summary';

/**
 * The README's main command: synthesizes the shop's services into Kubernetes
 * YAML and the platform they run on into CloudFormation, and prints what each
 * service is guaranteed and what the platform weighs. No AWS account, no
 * cluster and no network are needed.
 */
function main(outdir: string): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  const kubernetesDir = path.join(outdir, 'kubernetes');
  const app = new App({ outdir: kubernetesDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const shop = new ShopChart(app, 'shop', { namespace: 'shop' });
  app.synth();
  const files = fs.readdirSync(kubernetesDir);
  console.log(`Kubernetes: wrote ${files.join(', ')} to ${kubernetesDir}/\n`);
  console.log(summaryTable(shop.services));

  const cloudformationDir = path.join(outdir, 'cloudformation');
  const platformApp = new cdk.App({ outdir: cloudformationDir });
  const platform = new ShopPlatformStack(platformApp, 'ShopPlatform').platform;
  new ShopRecoveryRegionStack(platformApp, 'ShopRecoveryRegion');
  new ShopPlatformStack(platformApp, 'ShopPlatformStandby', { region: SHOP_RECOVERY_REGION });
  platformApp.synth();
  console.log(`\nCloudFormation: wrote the platform, its recovery region and its standby to ${cloudformationDir}/ ` +
    `(cluster "${platform.clusterName}" over ${platform.availabilityZones.join(', ')})`);
  console.log(figuresTable(stackFigures(platformApp, cloudformationDir)));

  // The runbooks change with the code: generated from the primary platform's real names.
  const runbookDir = path.join(outdir, 'runbooks');
  fs.mkdirSync(runbookDir, { recursive: true });
  for (const runbook of platform.runbooks()) fs.writeFileSync(path.join(runbookDir, runbook.fileName), runbook.markdown);
  console.log(`\nRunbooks: wrote ${platform.runbooks().map((r) => r.fileName).join(', ')} to ${runbookDir}/`);
}

function summaryTable(services: HaMicroservice[]): string {
  const header = ['service', 'replicas', 'zones', 'PDB', 'HPA range', 'HPA target (cpu/mem)', 'preStop/grace', 'exposed'];
  const rows = services.map((service) => {
    const s = service.settings;
    return [
      service.name,
      s.autoscaled ? `${s.minReplicas}+` : String(s.minReplicas),
      String(s.zoneCount),
      `maxUnavailable ${s.maxUnavailable}`,
      s.autoscaled ? `${s.minReplicas}-${s.maxReplicas}` : 'fixed',
      s.autoscaled ? `${s.cpuTargetUtilization}%/${s.memoryTargetUtilization}% (cpu <= ${s.maxStableUtilization}%)` : '-',
      `${s.preStopSleepSeconds}s/${s.terminationGracePeriodSeconds}s`,
      service.ingress ? `ALB (drain ${s.deregistrationDelaySeconds}s)` : 'cluster only',
    ];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

main(process.argv[2] ?? 'example.out');
