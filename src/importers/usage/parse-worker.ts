import { parentPort } from 'node:worker_threads';
import { answer, type ParseRequest } from './log-projection.js';

// The log parsing worker thread (see log-parser.ts): gunzips, parses and projects each log file
// the main thread posts, and posts the answer back. Its logic is log-projection.ts.
if (!parentPort) throw new Error('parse-worker.js runs only as a worker thread of the usage sync');
const port = parentPort;
port.on('message', (request: ParseRequest) => port.postMessage(answer(request)));
