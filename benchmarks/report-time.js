// Prints how long the compiled resilience report takes on a synthesized example (median of 7 runs in one process,
// and one cold run as the `resilient-eks report` bin does it). Run `npx projen example` and `npx projen compile` first.
const { execFileSync } = require('child_process');
const path = require('path');
const outdir = process.argv[2] ?? 'example.out';
const args = ['report', path.join(outdir, 'cloudformation'), path.join(outdir, 'kubernetes')];
const { ResilienceReport } = require('../lib');
const runs = [];
let rows = 0;
for (let i = 0; i < 7; i++) {
  const start = process.hrtime.bigint();
  rows = ResilienceReport.fromSynthesized({ cloudAssemblyDir: args[1], manifestPaths: [args[2]] }).rows.length;
  runs.push(Number(process.hrtime.bigint() - start) / 1e6);
}
runs.sort((a, b) => a - b);
const cold = process.hrtime.bigint();
try {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'resilient-eks'), ...args], { stdio: 'ignore' });
} catch (error) {
  if (error.status !== 1) throw error;
}
const coldMs = Number(process.hrtime.bigint() - cold) / 1e6;
console.log(`resilience report on ${outdir}: ${rows} rows; in-process median ${runs[3].toFixed(1)} ms (min ${runs[0].toFixed(1)}, max ${runs[6].toFixed(1)}); ` +
  `bin cold start to exit ${coldMs.toFixed(0)} ms`);
