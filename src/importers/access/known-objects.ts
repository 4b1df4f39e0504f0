import type { StreamSink, SyncContext } from '../../plugin-api/contract.js';
import type { DataObject } from '../../model/index.js';
import { getState, setState, stateKey } from '../../plugin-api/shared-state.js';
import { KnownTree } from '../../policy/index.js';
import { dataObjectOptions, syncDataObjects } from '../data-objects/index.js';

/**
 * The data objects known in this run, for resolving policies exactly. The data source sync
 * records them as it writes them; when it did not run, the access import lists them once.
 */
interface KnownObjectsState {
  tree: KnownTree;
  /** The data source sync wrote every record (it did not fail half-way). */
  finished: boolean;
}

const STATE_KEY = stateKey<KnownObjectsState>('access-import:known-data-objects');

function newTree(ctx: SyncContext): KnownTree {
  return new KnownTree(dataObjectOptions(ctx.params).maxFolderDepth);
}

/** A sink that adds each record to the tree before handing it on; a bucket whose listing fails is marked as not fully known. */
function tap(tree: KnownTree, sink: Pick<StreamSink<DataObject>, 'write' | 'warn' | 'markIncomplete' | 'records'>): StreamSink<DataObject> {
  return {
    write(record) {
      tree.add(record);
      return sink.write(record);
    },
    warn: (message) => sink.warn(message),
    markIncomplete(reason) {
      // The reason the S3 importer gives for one bucket (src/importers/data-objects/s3.ts, through AwsReads.guard).
      const bucket = /^the objects of bucket (\S+) \(/.exec(reason)?.[1];
      if (bucket) tree.markBucketIncomplete(bucket);
      else tree.markAllIncomplete();
      sink.markIncomplete(reason);
    },
    get records() {
      return sink.records;
    },
  };
}

/** Wraps the data source sync's sink so the access import of the same run knows its data objects. */
export async function syncDataObjectsKnown(ctx: SyncContext, run: (out: StreamSink<DataObject>) => Promise<void>, sink: StreamSink<DataObject>): Promise<void> {
  // Only an access import of the same run reads the tree: without one, no names are kept.
  if (!ctx.syncs.has('data-access')) return run(sink);
  const state: KnownObjectsState = { tree: newTree(ctx), finished: false };
  setState(ctx, STATE_KEY, state);
  await run(tap(state.tree, sink));
  state.tree.complete();
  state.finished = true;
}

/**
 * The known data objects: those the data source sync of this run wrote, or else one listing
 * (the same listing, with its filters and max depth; its records are not written anywhere).
 * A listing that fails leaves the affected buckets unknown (their content is then never shown in
 * part) and says so on the access stream.
 */
export async function knownObjects(ctx: SyncContext, sink: Pick<StreamSink<unknown>, 'warn' | 'markIncomplete'>): Promise<KnownTree> {
  const state = getState(ctx, STATE_KEY);
  if (state?.finished) return state.tree;
  const tree = newTree(ctx);
  let records = 0;
  const discard: StreamSink<DataObject> = {
    write: () => {
      records++;
    },
    warn: () => undefined,
    markIncomplete: () => undefined,
    get records() {
      return records;
    },
  };
  try {
    await syncDataObjects(ctx, { 'data-objects': tap(tree, discard) });
  } catch (err) {
    const message = `the data objects could not be listed to place policies on them exactly (${(err as Error).message}); patterns narrower than a bucket are not shown`;
    sink.warn(message);
    sink.markIncomplete(message);
    tree.markAllIncomplete();
  }
  return tree.complete();
}
