import { createHash } from 'node:crypto';

/** How the names of one resource type look in AWS. */
export interface NameRules {
  minLength: number;
  maxLength: number;
  /** Maps any text onto the allowed characters (the result may be empty). */
  sanitize(text: string): string;
  /** True when the whole name is acceptable to AWS. */
  valid(name: string): boolean;
  /** AWS compares these names without case (IAM) or they are lower case anyway (access points). */
  caseInsensitive: boolean;
}

/** IAM role and managed policy names: `[A-Za-z0-9+=,.@_-]`; anything else becomes `_`. */
export function iamNameRules(maxLength: number): NameRules {
  return {
    minLength: 1,
    maxLength,
    sanitize: (text) => text.replace(/[^A-Za-z0-9+=,.@_-]/g, '_'),
    valid: (name) => name.length >= 1 && name.length <= maxLength && /^[A-Za-z0-9+=,.@_-]+$/.test(name),
    caseInsensitive: true,
  };
}

/** S3 access point names: 3-50 lower case letters, digits and hyphens, not starting or ending with a hyphen. */
export const accessPointNameRules: NameRules = {
  minLength: 3,
  maxLength: 50,
  sanitize: (text) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, ''),
  valid: (name) => name.length >= 3 && name.length <= 50 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name),
  caseInsensitive: true,
};

export const roleNameRules = iamNameRules(64);
export const policyNameRules = iamNameRules(128);

/** A short tag derived from a provider id: the same id always gives the same tag. */
export function idTag(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 6);
}

export interface Affixes {
  prefix: string;
  suffix: string;
}

/**
 * The name of a resource: prefix + the sanitized base + (`-<tag>`) + suffix, the base shortened so
 * that the whole stays within the type's length limit. Too short a name gets the tag.
 */
export function buildName(rules: NameRules, base: string, affixes: Affixes, tag?: string): string {
  const tagPart = tag ? `-${tag}` : '';
  const room = Math.max(0, rules.maxLength - affixes.prefix.length - affixes.suffix.length - tagPart.length);
  let body = rules.sanitize(base).slice(0, room);
  // Cutting may leave a hyphen at the end, or the affixes may meet hyphens: sanitize the joint again.
  let name = rules.sanitize(`${affixes.prefix}${body}${tagPart}${affixes.suffix}`);
  if (name.length < rules.minLength && !tag) return buildName(rules, base, affixes, 'x');
  if (name.length > rules.maxLength) {
    body = body.slice(0, Math.max(0, room - (name.length - rules.maxLength)));
    name = rules.sanitize(`${affixes.prefix}${body}${tagPart}${affixes.suffix}`).slice(0, rules.maxLength);
  }
  // Nothing of the base survived and the tag alone is too short (an access point needs 3 characters): fill up.
  return name.length < rules.minLength ? `${name}${'x'.repeat(rules.minLength - name.length)}` : name;
}

/** What naming needs to know of one provider. */
export interface NameRequest {
  id: string;
  /** namingHint, else name. */
  base: string;
  /** The name AWS knows it by, when it was exported or imported before: it keeps it. */
  existingName?: string;
}

/**
 * Names for every provider of one type: those that already exist keep their name; the others get
 * the name built from their base, and when two map to one name (or onto a name already held), a
 * short stable suffix derived from their id.
 */
export function assignNames(rules: NameRules, affixes: Affixes, requests: readonly NameRequest[]): Map<string, string> {
  const fold = (n: string) => (rules.caseInsensitive ? n.toLowerCase() : n);
  const desired = new Map(requests.map((r) => [r.id, buildName(rules, r.base, affixes)]));
  const held = new Set(requests.flatMap((r) => (r.existingName ? [fold(r.existingName)] : [])));
  const wanting = new Map<string, string[]>();
  for (const r of requests) {
    const name = fold(desired.get(r.id)!);
    wanting.set(name, [...(wanting.get(name) ?? []), r.id]);
  }
  const names = new Map<string, string>();
  for (const r of requests) {
    const name = desired.get(r.id)!;
    const key = fold(name);
    const holder = r.existingName !== undefined && fold(r.existingName) === key;
    const contested = (wanting.get(key)?.length ?? 0) > 1 || (held.has(key) && !holder);
    names.set(r.id, contested && !holder ? buildName(rules, r.base, affixes, idTag(r.id)) : name);
  }
  return names;
}
