import * as fs from 'fs';
import * as path from 'path';
import { synthesizeShop } from './synthesize';
import { HaMicroservice, ResilienceReport } from '../../src';
import { figuresTable, stackFigures } from '../platform/summary';

/**
 * The README's main command: synthesizes the shop's services into Kubernetes
 * YAML and the platform they run on into CloudFormation, and prints what each
 * service is guaranteed and what the platform weighs. No AWS account, no
 * cluster and no network are needed.
 */
function main(outdir: string): void {
  const { shop, platform, platformApp, kubernetesDir, standbyKubernetesDir, cloudformationDir } = synthesizeShop(outdir);
  console.log(`Kubernetes: wrote ${fs.readdirSync(kubernetesDir).join(', ')} to ${kubernetesDir}/ ` +
    `(and the standby's to ${standbyKubernetesDir}/)\n`);
  console.log(summaryTable(shop.services));

  console.log(`\nCloudFormation: wrote the platform, its recovery region and its standby to ${cloudformationDir}/ ` +
    `(cluster "${platform.clusterName}" over ${platform.availabilityZones.join(', ')})`);
  console.log(figuresTable(stackFigures(platformApp, cloudformationDir)));

  // The runbooks change with the code: generated from the primary platform's real names.
  const runbookDir = path.join(outdir, 'runbooks');
  fs.mkdirSync(runbookDir, { recursive: true });
  for (const runbook of platform.runbooks()) fs.writeFileSync(path.join(runbookDir, runbook.fileName), runbook.markdown);
  console.log(`\nRunbooks: wrote ${platform.runbooks().map((r) => r.fileName).join(', ')} to ${runbookDir}/`);

  // The proof: every claim computed from what was just written, not from the props above.
  const report = ResilienceReport.fromSynthesized({ cloudAssemblyDir: cloudformationDir, manifestPaths: [kubernetesDir] });
  fs.writeFileSync(path.join(outdir, 'resilience-report.md'), report.toMarkdown());
  fs.writeFileSync(path.join(outdir, 'resilience-report.json'), report.toJson());
  console.log(`\nResilience report (${report.summary()}), written to ${outdir}/resilience-report.md and .json:\n`);
  console.log(report.validationTable());
  printFailures(report);

  // The standby's services are judged against its own cluster, with the same platform: after failover they are the shop.
  const standby = ResilienceReport.fromSynthesized({ cloudAssemblyDir: cloudformationDir, manifestPaths: [standbyKubernetesDir] });
  fs.writeFileSync(path.join(outdir, 'resilience-report-standby.md'), standby.toMarkdown());
  console.log(`\nStandby's services (${standbyKubernetesDir}/): ${standby.summary()}, written to ${outdir}/resilience-report-standby.md`);
  printFailures(standby);
  if (!report.passed || !standby.passed) process.exitCode = 1;
}

function printFailures(report: ResilienceReport): void {
  for (const row of report.failures) console.log(`\nFAIL ${row.id} ${row.subject}: ${row.arithmetic}\n  fix: ${row.fix}`);
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
