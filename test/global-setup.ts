import { execFileSync } from 'node:child_process';

/** CLI tests run the real `bin/connector.js`, so dist/ must match the sources under test. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
