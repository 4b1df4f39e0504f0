import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openParsePool } from '../../src/aws/parse-pool.js';
import { AHEAD, peekXmlElement, readAhead, xmlElementText } from '../../src/aws/read-ahead.js';

/** A page of a chain: its entries and the token of the next page (none on the last). */
interface Page {
  names: string[];
  next?: string;
}

/**
 * A paginated call whose answers the test releases one by one. Each request peeks the token the
 * answer will carry (`peek` says what the bytes show), as the middleware does when the bytes arrive.
 */
function chain(pages: Record<string, Page>, peek: (token: string, page: Page) => string | undefined = (_, page) => page.next) {
  const asked: string[] = [];
  const signals = new Map<string, AbortSignal>();
  const release = new Map<string, () => void>();
  const send = (token: string | undefined, peeked: (t: string | undefined) => void, signal: AbortSignal): Promise<Page> => {
    const key = token ?? 'first';
    asked.push(key);
    signals.set(key, signal);
    const page = pages[key];
    if (!page) return Promise.reject(new Error(`InvalidInput: no page for marker ${key}`));
    peeked(peek(key, page));
    return new Promise((resolve, reject) => {
      release.set(key, () => resolve(page));
      signal.addEventListener('abort', () => reject(signal.reason as Error));
    });
  };
  return { asked, signals, send, release: (key: string) => release.get(key)!() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const PAGES: Record<string, Page> = {
  first: { names: ['alice', 'bob'], next: 'm2' },
  m2: { names: ['carol'], next: 'm3' },
  m3: { names: ['dave'], next: 'm4' },
  m4: { names: ['erin'] },
};

async function readAll(pages: AsyncGenerator<Page>, onEach?: (page: Page) => Promise<void> | void): Promise<string[]> {
  const names: string[] = [];
  for await (const page of pages) {
    names.push(...page.names);
    await onEach?.(page);
  }
  return names;
}

describe('pages asked for as soon as the token is in the bytes', () => {
  it('asks for the next pages while the first is still being parsed, AHEAD (4) ahead at most', async () => {
    // A chain of AHEAD + 3 pages: first, p1, p2, ...
    const keys = ['first', ...Array.from({ length: AHEAD + 2 }, (_, i) => `p${i + 1}`)];
    const pages = Object.fromEntries(keys.map((key, i) => [key, { names: [key], next: keys[i + 1] }]));
    const c = chain(pages);
    const reading = readAll(readAhead(c.send, (p) => p.next, new AbortController().signal));
    await tick();
    // None of the pages is parsed yet: the first and AHEAD more are asked for, not the one after.
    expect(AHEAD).toBe(4);
    expect(c.asked).toEqual(keys.slice(0, AHEAD + 1));
    c.release('first');
    await tick();
    expect(c.asked).toEqual(keys.slice(0, AHEAD + 2));
    c.release('p1');
    await tick();
    expect(c.asked).toEqual(keys);
    for (const key of keys.slice(2)) c.release(key);
    expect(await reading).toEqual(keys);
  });

  it('calls off what was asked for with a token the parsed page does not confirm, and asks again with the page own', async () => {
    // The bytes of the first page seem to say m9; the SDK parses m2.
    const c = chain({ ...PAGES, m9: { names: ['mallory'] } }, (key, page) => (key === 'first' ? 'm9' : page.next));
    const reading = readAll(readAhead(c.send, (p) => p.next, new AbortController().signal));
    await tick();
    expect(c.asked).toEqual(['first', 'm9']);
    c.release('first');
    await tick();
    expect(c.signals.get('m9')?.aborted).toBe(true);
    expect(c.asked).toEqual(['first', 'm9', 'm2', 'm3', 'm4']);
    for (const key of ['m2', 'm3', 'm4']) c.release(key);
    expect(await reading).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  });

  it('follows the parsed token when nothing was peeked: an answer that never was on the wire, or bytes that show no token', async () => {
    const c = chain(PAGES, () => undefined);
    const reading = readAll(readAhead(c.send, (p) => p.next, new AbortController().signal));
    await tick();
    expect(c.asked).toEqual(['first']);
    c.release('first');
    await tick();
    expect(c.asked).toEqual(['first', 'm2']);
    for (const key of ['m2', 'm3', 'm4']) {
      c.release(key);
      await tick();
    }
    expect(await reading).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  });

  it('fails with the failure of a page asked for ahead, after the pages before it', async () => {
    const c = chain({ first: PAGES.first!, m2: { names: ['carol'], next: 'gone' } });
    const names: string[] = [];
    const reading = readAll(readAhead(c.send, (p) => p.next, new AbortController().signal), (page) => void names.push(...page.names));
    await tick();
    c.release('first');
    c.release('m2');
    await expect(reading).rejects.toThrow('no page for marker gone');
    expect(names).toEqual(['alice', 'bob', 'carol']);
  });

  it('calls off the pages asked for ahead when the reader stops early', async () => {
    const c = chain(PAGES);
    const pages = readAhead(c.send, (p) => p.next, new AbortController().signal);
    const first = pages.next();
    await tick();
    c.release('first');
    expect((await first).value?.names).toEqual(['alice', 'bob']);
    await pages.return(undefined);
    expect([c.signals.get('m2')?.aborted, c.signals.get('m3')?.aborted]).toEqual([true, true]);
  });
});

const page = (marker: string) =>
  `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><IsTruncated>true</IsTruncated><UserDetailList><member><UserName>alice</UserName><UserId>AIDAALICE</UserId><Arn>arn:aws:iam::111122223333:user/alice</Arn></member></UserDetailList><Marker>${marker}</Marker></GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`;

function iamAnswering(body: string): IAMClient {
  const handler = {
    handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body.slice(0, 100)), Buffer.from(body.slice(100))]) } }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' }, maxAttempts: 1, requestHandler: handler });
}

describe('the Marker read in the raw response', () => {
  it('is handed over before the SDK has parsed the page, entities decoded, and the SDK parses the same bytes', async () => {
    const events: string[] = [];
    const command = new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] });
    peekXmlElement(command, 'Marker', (marker) => events.push(`peeked ${marker}`));
    const output = await iamAnswering(page('m2&amp;x=&#x2F;1')).send(command);
    events.push(`parsed ${output.Marker}`);
    expect(events).toEqual(['peeked m2&x=/1', 'parsed m2&x=/1']);
    expect(output.UserDetailList?.map((u) => u.UserName)).toEqual(['alice']);
  });

  it('reaches the parse pool as bytes already read: the worker gives the same page (a pool that hands over even a small page)', async () => {
    const pool = openParsePool(new URL('../../dist/aws/parse-worker.js', import.meta.url), 1, 0);
    try {
      const client = iamAnswering(page('m2'));
      pool.attach(client, 'IAM');
      const command = new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] });
      let peeked: string | undefined;
      peekXmlElement(command, 'Marker', (m) => (peeked = m));
      const output = await client.send(command);
      expect([peeked, output.Marker, output.UserDetailList?.[0]?.UserName]).toEqual(['m2', 'm2', 'alice']);
      expect(pool.parsed).toEqual({ onWorkers: 1, here: 0 });
    } finally {
      await pool.close();
    }
  });

  it('is the text of the first such element, or nothing without one', () => {
    expect(xmlElementText(Buffer.from('<R><Marker>a&lt;b&gt;&quot;c&apos;&amp;</Marker></R>'), 'Marker')).toBe('a<b>"c\'&');
    expect(xmlElementText(Buffer.from('<R><IsTruncated>false</IsTruncated></R>'), 'Marker')).toBeUndefined();
    expect(xmlElementText(Buffer.from('<R><Marker>cut'), 'Marker')).toBeUndefined();
  });
});
