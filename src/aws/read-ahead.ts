import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import { decodeEntities } from './xml-reader.js';

/** The name of the middleware peekXmlElement adds (one per command). */
export const PEEK_MIDDLEWARE = 'awsConnectorPeekElement';

/** The text of the first `<element>` of an XML document, entities decoded as the page's parser decodes them; undefined without one. */
export function xmlElementText(bytes: Buffer, element: string): string | undefined {
  const open = bytes.indexOf(`<${element}>`);
  if (open < 0) return undefined;
  const start = open + element.length + 2;
  const end = bytes.indexOf(`</${element}>`, start);
  if (end < 0) return undefined;
  return decodeEntities(bytes.toString('utf8', start, end), false);
}

/**
 * Hands `seen` the text of `element` in the raw bytes of a successful response, before the SDK
 * parses them: the middleware sits next to the request handler, inside the deserializer, and
 * gives the deserializer the same bytes. A response that never reaches it (a mock, an
 * interceptor, an error) calls nothing.
 */
export function peekXmlElement<I extends object, O extends object>(command: { middlewareStack: MiddlewareStack<I, O> }, element: string, seen: (text: string | undefined) => void): void {
  const peek: DeserializeMiddleware<I, O> = (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode?: number; body?: unknown };
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300 && isStream(response.body)) {
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array));
      const bytes = Buffer.concat(chunks);
      response.body = bytes;
      seen(xmlElementText(bytes, element));
    }
    return result;
  };
  command.middlewareStack.add(peek, { step: 'deserialize', priority: 'low', name: PEEK_MIDDLEWARE });
}

function isStream(body: unknown): body is AsyncIterable<unknown> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** One page asked for: the parsed page, the token of the next one once known, and a way to call it off. */
interface PageRequest<T> {
  page: Promise<T>;
  /** The next page's token: peeked in the bytes, else from the parsed page; null for the last page, undefined while unknown. */
  nextToken?: string | null;
  /** The next page was asked for, with nextToken. */
  followed: boolean;
  cancel(): void;
}

/**
 * Pages asked for ahead of the one being read: enough that a chain waits for round trips only,
 * never for parsing. One parse worker reads the pages of every chain, so a chain's pages can wait
 * behind the others': with 2, the 20-page chain of iam-access stalled on them (snapshot read in
 * a median 1.42 s of alternated CLI runs, against 1.36 s with 4; 8 did no better than 4).
 */
export const AHEAD = 4;

/**
 * Pages of a paginated call whose next-page token can be read in the raw response: the next page
 * is asked for as soon as the token is in the bytes, while the SDK parses this page (on a worker
 * thread when the parse pool has room), so a chain of pages costs its round trips, not round
 * trips plus parsing. At most AHEAD pages are asked for ahead of the one the reader waits for.
 * The parsed page has the last word: a token it does not confirm calls off the requests made
 * after it, and the next page is asked for again with the parsed token. `send` gets the token
 * (undefined for the first page), a callback for the token it peeks, and the signal of that one
 * request.
 */
export async function* readAhead<T>(
  send: (token: string | undefined, peeked: (token: string | undefined) => void, signal: AbortSignal) => Promise<T>,
  tokenOf: (page: T) => string | undefined,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const queue: PageRequest<T>[] = [];
  const callOff = (r: PageRequest<T>) => {
    r.cancel();
    r.page.catch(() => undefined);
  };
  const ask = (token: string | undefined): void => {
    const own = new AbortController();
    const r = { followed: false, cancel: () => own.abort() } as PageRequest<T>;
    // In the queue before it is sent: its token may be known before send returns.
    queue.push(r);
    const known = (next: string | undefined) => {
      if (r.nextToken !== undefined) return;
      r.nextToken = next ?? null;
      askAhead();
    };
    r.page = send(token, known, AbortSignal.any([signal, own.signal]));
    // An answer that was never on the wire (a mock) gives its token when parsed.
    r.page.then((p) => known(tokenOf(p)), () => known(undefined));
  };
  // The newest request's successor, as soon as its token is known and there is room.
  const askAhead = () => {
    const last = queue[queue.length - 1];
    if (!last || last.followed || !last.nextToken || queue.length > AHEAD || signal.aborted) return;
    last.followed = true;
    ask(last.nextToken);
  };

  ask(undefined);
  try {
    while (queue.length > 0) {
      const head = queue[0]!;
      const page = await head.page;
      queue.shift();
      const confirmed = tokenOf(page);
      if (head.followed && (head.nextToken ?? undefined) !== confirmed) {
        // Asked for with a token the page does not confirm: ask again with the page's own.
        for (const r of queue.splice(0)) callOff(r);
        if (confirmed) ask(confirmed);
      } else if (!head.followed && confirmed) {
        // The bytes showed no token, the page has one.
        head.followed = true;
        ask(confirmed);
      }
      askAhead();
      yield page;
    }
  } finally {
    // Stopped early (a failure, or the reader left): nothing asked for ahead runs on.
    for (const r of queue.splice(0)) callOff(r);
  }
}
