import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// The connector is a child of the bench, whose endpoint keeps hundreds of MB of answers. Here a
// parent holds 300 MB and spawns a child that reports its peak RSS with bench/peak-rss.ts.
const dir = mkdtempSync(join(tmpdir(), 'peak-rss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the peak RSS the bench reports for a process it spawns', () => {
  it("is the child's own, not the 300 MB its parent held when it spawned it", () => {
    const source = readFileSync(new URL('../../bench/peak-rss.ts', import.meta.url), 'utf8');
    writeFileSync(join(dir, 'peak-rss.mjs'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
    writeFileSync(join(dir, 'child.mjs'), `import { peakRssKb } from './peak-rss.mjs';\nconsole.log(JSON.stringify({ peak: peakRssKb(), maxRSS: process.resourceUsage().maxRSS }));\n`);
    const parent = `const held = Array.from({ length: 300 }, () => Buffer.alloc(1 << 20, 1));
      const out = require('node:child_process').spawnSync(process.execPath, [${JSON.stringify(join(dir, 'child.mjs'))}], { encoding: 'utf8' });
      process.stdout.write(held.length > 0 ? out.stdout : '');`;
    const run = spawnSync(process.execPath, ['-e', parent], { encoding: 'utf8' });
    const { peak, maxRSS } = JSON.parse(run.stdout.trim()) as { peak: number; maxRSS: number };
    // What resourceUsage says on Linux: the parent's 300 MB.
    if (process.platform === 'linux') expect(maxRSS).toBeGreaterThan(300 << 10);
    expect(peak).toBeLessThan(200 << 10);
    expect(peak).toBeGreaterThan(10 << 10);
  });
});
