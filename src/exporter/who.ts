import type { AccessProviderToExport } from '../model/index.js';
import type { ExportContext } from './types.js';
import { resourceKey } from './types.js';

/** A who resolved to IAM principals that exist (or will, earlier in this run). */
export interface ResolvedWho {
  users: string[];
  /** Group names that exist. */
  groups: string[];
  roles: { name: string; arn: string }[];
  /** Principal ARNs of the users and of the groups' members (trust and access point policies cannot name groups). */
  userArns: string[];
  /** Keys of roles created or changed in this run that the who names: apply them first. */
  dependsOn: string[];
  warnings: string[];
}

/** The role a `who.inheritFrom` entry names: `role:<name>`, or `ID:<id>` of a role provider of this run. */
function inheritedRole(ex: ExportContext, entry: string): { name: string; arn: string; dependsOn?: string } | string {
  let name: string | undefined;
  if (entry.startsWith('ID:')) {
    const id = entry.slice(3);
    const provider = ex.providers.get(id);
    if (!provider) return `inheritFrom ${entry} names no access provider of this export; left out`;
    if (provider.type !== 'aws_role') return `inheritFrom ${entry} names access provider ${provider.input.name} of type ${provider.type}, not a role; left out`;
    if (provider.input.delete) return `inheritFrom ${entry} names role ${provider.name}, which this export deletes; left out`;
    name = provider.name;
  } else if (entry.startsWith('role:')) {
    name = entry.slice('role:'.length);
  } else {
    return `inheritFrom ${entry} is neither role:<name> nor ID:<id>; left out`;
  }
  const planned = [...ex.providers.values()].find((p) => p.type === 'aws_role' && !p.input.delete && p.name.toLowerCase() === name.toLowerCase());
  const existing = ex.iam.role(name);
  if (!existing && !planned) return `inheritFrom ${entry}: role ${name} does not exist in the account; left out`;
  const arn = existing?.Arn ?? `arn:${ex.partition}:iam::${ex.accountId}:role/${name}`;
  return { name: existing?.RoleName ?? name, arn, dependsOn: planned ? resourceKey('aws_role', planned.name) : undefined };
}

/** Resolves users, groups and inherited roles against the IAM snapshot; what cannot be named becomes a warning. */
export function resolveWho(ex: ExportContext, who: AccessProviderToExport['who'], options: { expandGroups: boolean; self?: string }): ResolvedWho {
  const resolved: ResolvedWho = { users: [], groups: [], roles: [], userArns: [], dependsOn: [], warnings: [] };
  const arns = new Set<string>();
  for (const user of [...new Set(who.users)].sort()) {
    const arn = ex.iam.userArns.get(user);
    if (!arn) {
      resolved.warnings.push(`user ${user} does not exist in the account; left out of who`);
      continue;
    }
    resolved.users.push(user);
    arns.add(arn);
  }
  for (const group of [...new Set(who.groups)].sort()) {
    if (!ex.iam.groupNames.has(group)) {
      resolved.warnings.push(`group ${group} does not exist in the account; left out of who`);
      continue;
    }
    resolved.groups.push(group);
    if (!options.expandGroups) continue;
    const members = [...(ex.iam.members.get(group) ?? [])].sort();
    for (const m of members) {
      const arn = ex.iam.userArns.get(m);
      if (arn) arns.add(arn);
    }
    resolved.warnings.push(
      members.length > 0
        ? `group ${group} cannot be named in the policy; it was expanded to its members ${members.join(', ')} (add or remove members and export again to follow changes)`
        : `group ${group} has no members, so it adds no principal`,
    );
  }
  const roleNames = new Set<string>();
  for (const entry of [...new Set(who.inheritFrom)].sort()) {
    const role = inheritedRole(ex, entry);
    if (typeof role === 'string') {
      resolved.warnings.push(role);
      continue;
    }
    if (options.self && role.name.toLowerCase() === options.self.toLowerCase()) {
      resolved.warnings.push(`inheritFrom ${entry} names the role itself; left out`);
      continue;
    }
    if (roleNames.has(role.name.toLowerCase())) continue;
    roleNames.add(role.name.toLowerCase());
    resolved.roles.push({ name: role.name, arn: role.arn });
    if (role.dependsOn) resolved.dependsOn.push(role.dependsOn);
  }
  resolved.userArns = [...arns].sort();
  return resolved;
}
