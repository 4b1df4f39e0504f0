import { ConnectorError } from '../errors.js';

/**
 * Target names and run ids become folder names: refuse anything that could climb out of the
 * base folder or is not portable, rather than silently rewriting it.
 */
export function assertSafeSegment(kind: 'target' | 'run id', value: string): void {
  // Control characters too: raito.yml refuses them already (config/load.ts); a target built in code must not slip through.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (value === '' || value === '.' || value === '..' || /[/\\\u0000-\u001f\u007f-\u009f]/.test(value) || value.endsWith('.partial')) {
    throw new ConnectorError('sync-target', `the ${kind} ${JSON.stringify(value)} cannot be used as a folder name`, {
      hint: 'Target names must not contain "/", "\\" or control characters and must not be "." or "..".',
    });
  }
}
