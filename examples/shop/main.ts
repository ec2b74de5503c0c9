import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ShopChart } from './shop-chart';
import { HaMicroservice } from '../../src';

/**
 * The README's main command: synthesizes the shop into Kubernetes YAML and
 * prints what each service is guaranteed. No AWS account and no cluster are
 * needed.
 */
function main(outdir: string): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const shop = new ShopChart(app, 'shop', { namespace: 'shop' });
  app.synth();

  const files = fs.readdirSync(outdir).map((file) => path.join(outdir, file));
  console.log(`Wrote ${files.length} manifest file(s) to ${outdir}/: ${files.map((f) => path.basename(f)).join(', ')}\n`);
  console.log(summaryTable(shop.services));
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
