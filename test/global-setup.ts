import { spawnSync } from 'node:child_process';

/**
 * CLI tests run the real `bin/connector.js`, so dist/ must match the sources under test.
 * tsc emits even with type errors; those fail `npm run lint`, not every test here.
 */
export default function setup(): void {
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // The rest of `npm run build`: the prebuilt action names (src/policy/action-names.ts).
  spawnSync(process.execPath, ['dist/policy/write-action-names.js'], { stdio: 'inherit' });
}
