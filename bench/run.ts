import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

// Each scenario runs in its own process so its peak RSS is its own.
const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

let failed = false;
for (const file of files) {
  const child = spawnSync(process.execPath, [`${dir}${file}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    failed = true;
    console.log(`${file}: FAILED (exit ${child.status})\n${child.stderr}`);
    continue;
  }
  const r = JSON.parse(line) as BenchResult;
  console.log(`\n== ${r.scenario}`);
  console.log(`   wall ${r.wallMs} ms   cpu ${r.cpuMs} ms   peak RSS ${r.peakRssMb} MB`);
  for (const [k, v] of Object.entries(r.figures)) console.log(`   ${k}: ${v}`);
  console.log('   AWS calls by operation:');
  for (const [op, n] of Object.entries(r.calls)) console.log(`     ${op.padEnd(46)}${String(n).padStart(8)}`);
}
process.exitCode = failed ? 1 : 0;
