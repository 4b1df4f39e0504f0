import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseAwsContext } from '../../src/aws/client-factory.js';
import { awsConnectionParameters } from '../../src/aws/parameters.js';
import { iamSnapshot } from '../../src/importers/iam-snapshot.js';
import { identityParameters } from '../../src/importers/identity/parameters.js';
import { testContext } from '../helpers/context.js';
import { IAM_NS, queryResponse, startLocalAws, type LocalAwsServer, type SeenRequest } from '../aws/local-aws-server.js';

// The snapshot's chains over real HTTP and the SDK's own middleware: the Marker of each page is read
// in the raw answer (read-ahead.ts) and confirmed by the SDK's parse. The moto suite has too few
// users for a second page, so the pages are served here.

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_REGION'];
let savedEnv: Record<string, string | undefined>;
let server: LocalAwsServer | undefined;

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

/** Markers as IAM makes them: opaque, with characters XML escapes (`&`, `<`) and URL-encoding changes (`+`, `/`, `=`). */
const markerAfter = (type: string, page: number) => `${type}+${page}/&<x>=`;
const escaped = (marker: string) => marker.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const GROUPS = ['analysts', 'engineers', 'finance'];

/** Two entities a page, whatever MaxItems says; the page after `Marker` is the one it names. */
function answer(request: SeenRequest) {
  const type = request.form.get('Filter.member.1') ?? '';
  const names = type === 'User' ? USERS : type === 'Group' ? GROUPS : [];
  const marker = request.form.get('Marker');
  const page = marker ? Number(/^\w+\+(\d+)\//.exec(marker)?.[1]) : 0;
  const slice = names.slice(page * 2, page * 2 + 2);
  const more = page * 2 + 2 < names.length;
  const members =
    type === 'User'
      ? slice.map((n) => `<member><UserName>${n}</UserName><UserId>AIDA${n.toUpperCase()}</UserId><Arn>arn:aws:iam::123456789012:user/${n}</Arn><GroupList><member>analysts</member></GroupList></member>`).join('')
      : slice.map((n) => `<member><GroupName>${n}</GroupName><GroupId>AGPA${n.toUpperCase()}</GroupId><Arn>arn:aws:iam::123456789012:group/${n}</Arn></member>`).join('');
  const list = type === 'User' ? `<UserDetailList>${members}</UserDetailList>` : `<GroupDetailList>${members}</GroupDetailList>`;
  return queryResponse('GetAccountAuthorizationDetails', `<IsTruncated>${more}</IsTruncated>${list}${more ? `<Marker>${escaped(markerAfter(type, page + 1))}</Marker>` : ''}`, IAM_NS);
}

describe('the IAM snapshot over HTTP', () => {
  it('reads every page of each type once, asking for each with the Marker of the page before, escaped as IAM escapes it', async () => {
    server = await startLocalAws((request) => answer(request));
    const ctx = testContext({ specs: [...awsConnectionParameters, ...identityParameters], syncs: ['identity-store'], params: { 'aws-endpoint-url': server.url } });
    try {
      const snapshot = await iamSnapshot(ctx);
      expect(snapshot.users.map((u) => u.UserName)).toEqual(USERS);
      expect(snapshot.groups.map((g) => g.GroupName)).toEqual(GROUPS);
      const asked = server.requests.map((r) => `${r.form.get('Filter.member.1')} ${r.form.get('Marker') ?? '(first)'}`).sort();
      expect(asked).toEqual(['Group (first)', `Group ${markerAfter('Group', 1)}`, 'User (first)', `User ${markerAfter('User', 1)}`, `User ${markerAfter('User', 2)}`]);
      expect(ctx.calls.toJSON()['IAM.GetAccountAuthorizationDetails']).toBe(5);
    } finally {
      releaseAwsContext(ctx);
    }
  });
});
