import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as glue from '@aws-sdk/client-glue';
import * as iam from '@aws-sdk/client-iam';
import * as identitystore from '@aws-sdk/client-identitystore';
import * as s3 from '@aws-sdk/client-s3';
import * as s3control from '@aws-sdk/client-s3-control';
import * as ssoadmin from '@aws-sdk/client-sso-admin';
import * as sts from '@aws-sdk/client-sts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { streamSchemas, type StreamName } from '../src/model/index.js';
import { readJsonlGz } from '../src/streams/read.js';
import { JsonlSpool } from '../src/streams/spool.js';
import { answer } from './server/answer.js';
import { signingScope, type WireRequest, type WireResponse } from './server/wire.js';
import type { HttpScenario } from './types.js';

// The CPU floor of a run, measured in a process of its own: the cost of parsing the very responses
// the connector got with the SDK's own deserialisers (the SDK client with an in-memory request
// handler: no socket, no latency), plus writing the records the connector wrote through the same
// spool (validation, JSONL, gzip). Usage: node floor.js <scenario> <requests.json> <run dir>.

export interface FloorResult {
  /** CPU ms the SDK spent on the responses (send → output, serialising and signing the request included). */
  parseCpuMs: number;
  /** CPU ms of validating, serialising and gzipping the records of every stream. */
  writeCpuMs: number;
  responses: number;
  responseBytes: number;
  records: number;
}

type Module = Record<string, unknown>;
const CLIENTS: Record<string, { module: Module; client: string }> = {
  S3: { module: s3, client: 'S3Client' },
  S3Control: { module: s3control, client: 'S3ControlClient' },
  IAM: { module: iam, client: 'IAMClient' },
  STS: { module: sts, client: 'STSClient' },
  Glue: { module: glue, client: 'GlueClient' },
  Identitystore: { module: identitystore, client: 'IdentitystoreClient' },
  SSOAdmin: { module: ssoadmin, client: 'SSOAdminClient' },
  CloudTrail: { module: cloudtrail, client: 'CloudTrailClient' },
};

interface Sender {
  send(command: unknown): Promise<unknown>;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

/** Parses each response with the SDK client of its service; the handler hands the client the pre-rendered bytes. */
async function parseResponses(requests: WireRequest[], scenario: HttpScenario): Promise<{ cpuMs: number; bytes: number }> {
  const account = scenario.account();
  let next: WireResponse | undefined;
  const requestHandler = {
    // A plain object of HttpResponse's shape (the SDK checks the shape, not the class).
    handle: async () => ({ response: { statusCode: next!.status, headers: { ...next!.headers, 'content-length': String(Buffer.byteLength(next!.body)) }, body: Readable.from([Buffer.from(next!.body)]) } }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const clients = new Map<string, Sender>();
  const clientFor = (service: string, region: string): Sender => {
    const key = `${service} ${region}`;
    let made = clients.get(key);
    if (!made) {
      const { module, client } = CLIENTS[service]!;
      const Client = module[client] as new (config: object) => Sender;
      made = new Client({ region, endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, requestHandler, maxAttempts: 1, forcePathStyle: true });
      // Parsing only: the SDK's logger middleware (a filtered copy of every output for a logger that,
      // by default, drops it) is not part of reading a response; the connector removes it as well.
      (made as unknown as { middlewareStack: { remove(name: string): boolean } }).middlewareStack.remove('loggerMiddleware');
      if (service === 'S3Control') {
        // As src/aws/client-factory.ts does with an endpoint: no `<account>.` host prefix.
        const config = (made as unknown as { config: { endpointProvider: (params: object, context: object) => unknown } }).config;
        const rules = config.endpointProvider;
        config.endpointProvider = (params, context) => rules({ ...params, RequiresAccountId: false }, context);
      }
      clients.set(key, made);
    }
    return made;
  };
  let renderMs = 0;
  let bytes = 0;
  const started = process.cpuUsage();
  for (const req of requests) {
    const renderStart = process.cpuUsage();
    next = answer(req, account);
    renderMs += cpuMs(renderStart);
    bytes += Buffer.byteLength(next.body);
    const [service, operation] = next.operation.split('.') as [string, string];
    const Command = CLIENTS[service]?.module[`${operation}Command`] as (new (input: object) => unknown) | undefined;
    if (!Command) throw new Error(`floor: no SDK command for ${next.operation}`);
    // Any valid input will do: the handler answers with the recorded response whatever was asked.
    const input = { Bucket: 'bench', Key: 'bench', AccountId: '999999999999', Name: 'bench' };
    await clientFor(service, signingScope(req.headers).region)
      .send(new Command(input))
      .catch((err: unknown) => {
        // Errors the connector got (a bucket without a policy) are parsed too; anything else is a bench bug.
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== next!.status) throw err;
      });
  }
  return { cpuMs: cpuMs(started) - renderMs, bytes };
}

/** Reads every stream of the run; with `write`, writes its records again through a fresh spool. */
async function passOverStreams(runDir: string, write: boolean): Promise<{ cpuMs: number; records: number }> {
  const out = mkdtempSync(join(tmpdir(), 'connector-floor-'));
  const started = process.cpuUsage();
  let records = 0;
  for (const file of readdirSync(runDir).filter((f) => f.endsWith('.jsonl.gz'))) {
    const stream = file.replace('.jsonl.gz', '') as StreamName;
    const spool = write ? new JsonlSpool<unknown>({ dir: out, stream, schema: streamSchemas[stream] as never }) : undefined;
    for await (const record of readJsonlGz(join(runDir, file))) {
      records++;
      if (spool) await spool.write(record);
    }
    await spool?.finish();
  }
  const ms = cpuMs(started);
  rmSync(out, { recursive: true, force: true });
  return { cpuMs: ms, records };
}

async function main(): Promise<void> {
  const [name, requestsFile, runDir] = process.argv.slice(2) as [string, string, string];
  const scenario = ((await import(`./scenarios/${name}.js`)) as { default: HttpScenario }).default;
  const requests = JSON.parse(readFileSync(requestsFile, 'utf8')) as WireRequest[];
  const parsed = await parseResponses(requests, scenario);
  // Writing = reading and writing minus reading alone (the connector never reads its output back).
  const readOnly = await passOverStreams(runDir, false);
  const readWrite = await passOverStreams(runDir, true);
  const result: FloorResult = {
    parseCpuMs: Math.round(parsed.cpuMs),
    writeCpuMs: Math.max(0, Math.round(readWrite.cpuMs - readOnly.cpuMs)),
    responses: requests.length,
    responseBytes: parsed.bytes,
    records: readOnly.records,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1]?.endsWith('floor.js')) await main();
