import { existsSync, readFileSync } from 'node:fs';

/** package.json sits above src/ and dist/ (and two levels above dist-bench/src/). */
function packageJson(): URL {
  for (const relative of ['../package.json', '../../package.json']) {
    const url = new URL(relative, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error('package.json of the connector not found');
}

/** The connector's version, from package.json. */
export const connectorVersion: string = (JSON.parse(readFileSync(packageJson(), 'utf8')) as { version: string }).version;

export const userAgent = `aws-access-connector/${connectorVersion}`;
