import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the local server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  host: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `Action` of a query-protocol call (IAM, STS), from the form body. */
  action?: string;
  form: URLSearchParams;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** Decides the answer to each request; `n` counts requests with the same action (or path) so far, from 1. */
export type Responder = (request: SeenRequest, n: number) => Answer;

export interface LocalAwsServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A local HTTP server that plays AWS for the SDK's real middleware stack (signing, retries, endpoints, XML). */
export async function startLocalAws(respond: Responder): Promise<LocalAwsServer> {
  const requests: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(req.headers['content-type']?.includes('x-www-form-urlencoded') ? body : '');
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host ?? '',
        headers: req.headers,
        body,
        form,
        action: form.get('Action') ?? undefined,
      };
      requests.push(seen);
      const key = seen.action ?? `${seen.method} ${seen.url.split('?')[0]}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const answer = respond(seen, n);
      res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${requests.length}`, ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An error as the query protocol (IAM, STS) writes it. */
export function queryError(code: string, message: string, status = 400): Answer {
  return {
    status,
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
  };
}

export function queryResponse(action: string, result: string, namespace: string): Answer {
  return {
    status: 200,
    body: `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function callerIdentity(account = '123456789012'): Answer {
  return queryResponse('GetCallerIdentity', `<Arn>arn:aws:iam::${account}:user/connector</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account>`, STS_NS);
}

export function listUsers(...names: string[]): Answer {
  const members = names
    .map((n) => `<member><Path>/</Path><UserName>${n}</UserName><UserId>AIDA${n.toUpperCase()}</UserId><Arn>arn:aws:iam::123456789012:user/${n}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>`)
    .join('');
  return queryResponse('ListUsers', `<IsTruncated>false</IsTruncated><Users>${members}</Users>`, IAM_NS);
}
