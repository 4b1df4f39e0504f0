import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeAccount, FakeObject, FakeObjectList } from '../../src/demo/fake-aws/types.js';
import { compareKeys } from '../../src/importers/data-objects/key-order.js';
import { startBenchServer } from './http.js';

// The bench endpoint for the CloudTrail scenario, in a process of its own: it serves the log files
// a scenario wrote into a folder, listed in `<dir>/index.jsonl` (one {"key","path","size"} a line,
// appended as files are written), as one trail bucket. Bodies are read from disk per GetObject.
// Usage: node serve-logs.js '{"dir":…,"accountId":…,"bucket":…,"region":…,"latencyMs":…}'; prints the URL.

interface LogServerSpec {
  dir: string;
  accountId: string;
  bucket: string;
  region: string;
  latencyMs: number;
  /** Empty buckets the events name (their region answers GetBucketLocation-style lookups). */
  otherBuckets: string[];
}

interface IndexedLog {
  key: string;
  path: string;
  size: number;
}

/**
 * The files of the index, sorted as S3 lists keys. The index is read again when it grew, checked
 * once per request (every fake handler asks for `length` before `at`), not once per `at`: a
 * binary search or a listing page makes many.
 */
function indexedObjects(dir: string): FakeObjectList {
  const indexFile = join(dir, 'index.jsonl');
  let seenSize = -1;
  let logs: IndexedLog[] = [];
  const refresh = (): IndexedLog[] => {
    const size = statSync(indexFile, { throwIfNoEntry: false })?.size ?? 0;
    if (size !== seenSize) {
      seenSize = size;
      const lines = size > 0 ? readFileSync(indexFile, 'utf8').split('\n').filter(Boolean) : [];
      logs = lines.map((l) => JSON.parse(l) as IndexedLog).sort((a, b) => compareKeys(a.key, b.key));
    }
    return logs;
  };
  return {
    get length() {
      return refresh().length;
    },
    at(i): FakeObject | undefined {
      const log = logs[i];
      if (!log) return undefined;
      return {
        key: log.key,
        size: log.size,
        get body() {
          return readFileSync(log.path);
        },
      };
    },
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LogServerSpec;
const account: FakeAccount = {
  accountId: spec.accountId,
  callerArn: `arn:aws:iam::${spec.accountId}:user/bench`,
  iam: { users: [], groups: [], roles: [], policies: [] },
  s3: { buckets: [{ name: spec.bucket, region: spec.region, objects: indexedObjects(spec.dir) }, ...spec.otherBuckets.map((name) => ({ name, region: spec.region, objects: [] }))], accessPoints: [] },
  glue: {},
};
// No answer cache: the bucket grows between runs.
const server = await startBenchServer({ account, latencyMs: spec.latencyMs, cache: false });
// The scenario asks for the calls counted here since its last reset over the IPC channel.
process.on('message', (command: 'calls' | 'reset') => {
  if (command === 'reset') server.reset();
  process.send?.({ calls: server.calls() });
});
process.stdout.write(`${server.url}\n`);
