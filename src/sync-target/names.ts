import { ConnectorError } from '../errors.js';

/**
 * Target names and run ids become folder names: refuse anything that could climb out of the
 * base folder or is not portable, rather than silently rewriting it.
 */
export function assertSafeSegment(kind: 'target' | 'run id', value: string): void {
  if (value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value) || value.endsWith('.partial')) {
    throw new ConnectorError('sync-target', `the ${kind} ${JSON.stringify(value)} cannot be used as a folder name`, {
      hint: 'Target names must not contain "/" or "\\" and must not be "." or "..".',
    });
  }
}
