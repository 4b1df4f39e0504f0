import { Glob } from './glob.js';

/**
 * A `Resource` / `NotResource` entry. ARNs match segment by segment (`arn:partition:service:
 * region:account:resource`): a wildcard in the first five segments stays inside its segment, while
 * one in the resource segment may span `/` and `:`. `*` alone matches every resource.
 */
export class ArnPattern {
  readonly source: string;
  /** `*` (or `**`): every resource of every service. */
  readonly all: boolean;
  /** The five segments before the resource, when the pattern is ARN-shaped. */
  readonly header?: readonly Glob[];
  /** Those five segments as written (`arn:aws:s3::`): patterns share a few, so answers about them are kept by this text. */
  readonly headerText?: string;
  readonly resource?: Glob;

  constructor(source: string) {
    this.source = source;
    this.all = /^\*+$/.test(source);
    const parts = source.split(':');
    if (!this.all && parts.length >= 6) {
      this.header = parts.slice(0, 5).map((p) => new Glob(p, { policyVariables: true }));
      this.headerText = parts.slice(0, 5).join(':');
      this.resource = new Glob(parts.slice(5).join(':'), { policyVariables: true });
    }
  }

  /** Not `*` and not `arn:...` with six segments: it matches nothing (AWS would not store it). */
  get valid(): boolean {
    return this.all || this.resource !== undefined;
  }

  /** Policy variables (`${aws:username}`) in the pattern, read as `*`. */
  get variables(): string[] {
    return [...(this.header ?? []).flatMap((g) => g.variables), ...(this.resource?.variables ?? [])];
  }

  /** The first five segments match those of an ARN (given as its segments). */
  headerMatches(segments: readonly string[]): boolean {
    if (this.all) return true;
    if (!this.header) return false;
    return this.header.every((glob, i) => glob.matches(segments[i] ?? ''));
  }

  matches(arn: string): boolean {
    if (this.all) return true;
    if (!this.resource) return false;
    const parts = arn.split(':');
    if (parts.length < 6) return false;
    return this.headerMatches(parts) && this.resource.matches(parts.slice(5).join(':'));
  }
}

/** Any of the patterns matches the ARN. */
export function anyArnMatches(patterns: readonly ArnPattern[], arn: string): boolean {
  return patterns.some((p) => p.matches(arn));
}
