import { readFileSync } from 'node:fs';

/** The connector's version, from package.json (one level above both src/ and dist/). */
export const connectorVersion: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const userAgent = `aws-access-connector/${connectorVersion}`;
