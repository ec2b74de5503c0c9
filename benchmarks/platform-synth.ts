import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PlatformProfile } from '../src';
import { ShopPlatformStack } from '../examples/platform/platform-stack';
import { figuresTable, stackFigures } from '../examples/platform/summary';

/**
 * Synthesizes the example platform (both profiles) several times and prints
 * the synth wall time and, per stack, the resources, the template size and
 * the Lambda-backed custom resources against CloudFormation's limits. A
 * benchmark, not a test: it prints figures and never fails on them.
 */
function run(runs: number): void {
  for (const profile of [PlatformProfile.HIGH_AVAILABILITY, PlatformProfile.COST_OPTIMIZED]) {
    const times: number[] = [];
    let last: { app: App; outdir: string } | undefined;
    const hashes = new Set<string>();
    for (let i = 0; i < runs; i++) {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilient-eks-bench-'));
      const started = process.hrtime.bigint();
      const app = new App({ outdir });
      new ShopPlatformStack(app, 'ShopPlatform', { profile });
      app.synth();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      hashes.add(fs.readFileSync(path.join(outdir, 'ShopPlatform.template.json'), 'utf8'));
      if (last) fs.rmSync(last.outdir, { recursive: true, force: true });
      last = { app, outdir };
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`profile ${profile}: synth wall time over ${runs} runs: first ${Math.round(times[0])} ms, ` +
      `median ${Math.round(sorted[Math.floor(runs / 2)])} ms, min ${Math.round(sorted[0])} ms; identical templates: ${hashes.size === 1 ? 'yes' : 'no'}`);
    console.log(figuresTable(stackFigures(last!.app, last!.outdir)));
    fs.rmSync(last!.outdir, { recursive: true, force: true });
  }
}

run(Number(process.argv[2] ?? 5));
