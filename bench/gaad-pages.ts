import type { FakeAccount } from '../src/demo/fake-aws/types.js';
import { AWS_CONCURRENCY_DEFAULT } from '../src/aws/parameters.js';
import { AHEAD } from '../src/aws/read-ahead.js';

/** GetAccountAuthorizationDetails serves at most 1000 entities a page. */
export const GAAD_PAGE = 1000;

export type GaadEntityType = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

/** How the connector's IAM snapshot pages GetAccountAuthorizationDetails: one chain of pages per entity type. */
export interface GaadPages {
  /** Pages per type: ceil(n / 1000), and one (empty) page for a type with none. */
  byType: Partial<Record<GaadEntityType, number>>;
  /** The page bound: the sum over the types. */
  pages: number;
  /** Calls in flight at once: aws-concurrency, or fewer when the chains cannot fill it (each asks for at most AHEAD pages ahead). */
  concurrency: number;
  /** The longest chain: each page is asked for once the Marker of the one before is in its bytes, so it costs a round trip a page. */
  longest: number;
  /** One line for the bench's `explain`. */
  explain: string;
}

const LABEL: Record<GaadEntityType, string> = { User: 'users', Group: 'groups', Role: 'roles', LocalManagedPolicy: 'customer managed policies', AWSManagedPolicy: 'AWS managed policies' };

function countOf(account: FakeAccount, type: GaadEntityType): number {
  const isAws = (arn: string | undefined) => arn?.startsWith('arn:aws:iam::aws:') === true;
  if (type === 'User') return account.iam.users.length;
  if (type === 'Group') return account.iam.groups.length;
  if (type === 'Role') return account.iam.roles.length;
  return account.iam.policies.filter((p) => isAws(p.Arn) === (type === 'AWSManagedPolicy')).length;
}

/** The GAAD pages of `types` in `account` with the run's aws-concurrency (the connector's default unless the target sets it). */
export function gaadPages(account: FakeAccount, types: GaadEntityType[], awsConcurrency = AWS_CONCURRENCY_DEFAULT, latencyMs?: number): GaadPages {
  const byType = Object.fromEntries(types.map((type) => [type, Math.max(1, Math.ceil(countOf(account, type) / GAAD_PAGE))])) as Partial<Record<GaadEntityType, number>>;
  const counts = Object.values(byType);
  const pages = counts.reduce((sum, n) => sum + n, 0);
  const concurrency = Math.min(types.length * (AHEAD + 1), awsConcurrency);
  const longest = Math.max(...counts);
  const perType = types.map((type) => `${byType[type]} of ${LABEL[type]}`).join(', ');
  const longestMs = latencyMs === undefined ? '' : ` (${longest * latencyMs} ms)`;
  const explain =
    `${pages} GetAccountAuthorizationDetails pages of ${GAAD_PAGE}, one chain per entity type (${perType}), ` +
    `${concurrency} calls at a time (aws-concurrency ${awsConcurrency}, with ${types.length} chains each asking for up to ${AHEAD} pages ahead); ` +
    `the longest chain alone is ${longest} round trips one after the other${longestMs}`;
  return { byType, pages, concurrency, longest, explain };
}
