import { parentPort, workerData } from 'node:worker_threads';
import { answer, mappingEnv, type MappingSetup, type ParseRequest } from './log-parser.js';

// A log parsing worker thread of the usage sync (see log-parser.ts): gunzips, parses and maps each
// log file the main thread posts, and posts the batch back. Its logic is tested in-thread.
if (!parentPort) throw new Error('parse-worker.js runs only as a worker thread of the usage sync');
const port = parentPort;
const env = mappingEnv(workerData as MappingSetup);
port.on('message', (request: ParseRequest) => port.postMessage(answer(request, env)));
