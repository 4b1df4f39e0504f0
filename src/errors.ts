/** Exit codes of the CLI: 0 all syncs succeeded, 1 a sync failed, 2 usage or config error. */
export const ExitCode = { ok: 0, syncFailed: 1, usage: 2 } as const;

export type ErrorCode =
  | 'config'
  | 'usage'
  | 'plugin'
  | 'aws-access-denied'
  | 'aws-not-found'
  | 'aws-throttled'
  | 'aws'
  | 'sync-api'
  | 'sync-target'
  | 'internal';

/** The one error base of the connector: a code, a message for the user, a hint what to do, and a cause. */
export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.hint = options.hint;
  }

  /** Config and usage problems exit 2; everything else is a failed sync. */
  get exitCode(): number {
    return this.code === 'config' || this.code === 'usage' || this.code === 'plugin' ? ExitCode.usage : ExitCode.syncFailed;
  }
}

/** One problem found in a config file, with where it is. */
export interface ConfigIssue {
  /** Dotted path, e.g. `targets[1].aws-regions`. */
  path: string;
  message: string;
  file?: string;
  line?: number;
}

/** All problems of one config file at once, so a user fixes them in one go. */
export class ConfigError extends ConnectorError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options: { hint?: string; cause?: unknown } = {}) {
    super('config', ConfigError.format(issues), options);
    this.name = 'ConfigError';
    this.issues = issues;
  }

  static format(issues: ConfigIssue[]): string {
    return issues
      .map((i) => {
        const where = [i.file, i.line === undefined ? undefined : `line ${i.line}`].filter(Boolean).join(':');
        return `${where ? `${where}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`;
      })
      .join('\n');
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
