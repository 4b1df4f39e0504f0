import { parentPort } from 'node:worker_threads';
import { prepareAuthorizationDetails } from './iam-pages.js';
import { OFFLOADED_OPERATIONS, type ParseAnswer, type ParseJob } from './parse-jobs.js';
import { loadCommonJs } from './sdk/load.js';
import { useXmlReader } from './xml-reader.js';

// A response parsing worker (see parse-pool.ts): turns the bytes of a successful response into
// the SDK's output with the SDK's own deserialiser (its XML read by xml-reader.ts), the very code
// the main thread would run, then does FINISH's work on it, which its reader does on the main
// thread for outputs parsed there. Its clients never send anything; they only lend their protocol
// (wire format, shapes, serde config).

if (!parentPort) throw new Error('parse-worker.js runs only as a worker thread of the AWS clients');
const port = parentPort;

/** The part of an SDK protocol this worker calls: the one the client's deserializer middleware calls. */
interface Protocol {
  deserializeResponse(operation: object, context: object, response: { statusCode: number; headers: Record<string, string>; body: Uint8Array }): Promise<unknown>;
}
interface Service {
  config: { protocol: Protocol };
  /** The SDK's operation schemas by operation name (`GetAccountAuthorizationDetails$`...). */
  sdk: Record<string, unknown>;
}

const services = new Map<string, Service>();

/**
 * Work on an output that costs the main thread less when done here, where the page was parsed:
 * an IAM page as the snapshot keeps it (iam-pages.ts) is also smaller to hand back.
 */
const FINISH: Readonly<Record<string, (output: never) => void>> = {
  GetAccountAuthorizationDetails: prepareAuthorizationDetails,
};

function serviceOf(name: string): Service {
  let made = services.get(name);
  if (!made) {
    const spec = OFFLOADED_OPERATIONS[name];
    if (!spec) throw new Error(`no parser for service ${name}`);
    const sdk = loadCommonJs<Record<string, unknown>>(spec.sdk);
    const Client = sdk[spec.client] as new (config: object) => { config: { protocol: Protocol } };
    // Region and credentials are required to make a client; neither takes part in parsing.
    const client = new Client({ region: 'us-east-1', credentials: { accessKeyId: 'parse-only', secretAccessKey: 'parse-only' } });
    // The output is copied to the main thread (postMessage): its texts need not be copied out of the page first.
    useXmlReader(client, false);
    made = { config: client.config, sdk };
    services.set(name, made);
  }
  return made;
}

/** The operation as the SDK's deserializer middleware hands it to the protocol (from the exported schema tuple). */
function operationOf(service: Service, name: string): object {
  const schema = service.sdk[`${name}$`];
  if (!Array.isArray(schema)) throw new Error(`the SDK has no schema for ${name}`);
  const [, namespace, opName, traits, input, output] = schema as unknown[];
  return { name: opName, namespace, traits, input, output };
}

async function parse(job: ParseJob): Promise<ParseAnswer> {
  try {
    const service = serviceOf(job.service);
    const output = await service.config.protocol.deserializeResponse(operationOf(service, job.operation), { ...service.config }, { statusCode: job.statusCode, headers: job.headers, body: job.body });
    FINISH[job.operation]?.(output as never);
    return { id: job.id, ok: true, output };
  } catch (err) {
    return { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

port.on('message', (job: ParseJob) => {
  void parse(job).then((answer) => {
    try {
      port.postMessage(answer);
    } catch (err) {
      // An output that cannot be cloned: the main thread parses this response itself.
      port.postMessage({ id: job.id, ok: false, message: `the output could not be handed back: ${(err as Error).message}` } satisfies ParseAnswer);
    }
  });
});
