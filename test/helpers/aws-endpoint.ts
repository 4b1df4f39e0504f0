import { Readable } from 'node:stream';

/**
 * An in-memory endpoint for an SDK client (its `requestHandler`): each request is answered with the
 * next of `answers` (status and body), round and round. Nothing goes over a socket.
 */
export function inMemoryEndpoint(answers: { status: number; body: string }[]) {
  let next = 0;
  return {
    handle: async () => {
      const a = answers[next++ % answers.length]!;
      return { response: { statusCode: a.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${next}` }, body: Readable.from([Buffer.from(a.body)]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
}
