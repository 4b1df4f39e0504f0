import type { SyncContext } from '../../plugin-api/contract.js';
import { getState, setState, stateKey } from '../../plugin-api/shared-state.js';

/** Where one Glue table's data lives, as the data source sync placed it. */
export interface GlueTableLocation {
  bucket: string;
  /** `<account>:<region>:<bucket>` as written in the data-objects stream. */
  bucketFullName: string;
  /** Path of the table's folder in the bucket, without slashes at the ends. */
  path: string;
}

/** The Glue tables the data source sync of this run wrote; `complete` once it went through every region. */
export interface GlueTableCapture {
  tables: GlueTableLocation[];
  complete: boolean;
}

const STATE_KEY = stateKey<GlueTableCapture>('data-objects:glue-tables');

/** Starts (or restarts) the capture of this run, for later syncs that map S3 paths to tables (usage). */
export function startGlueTableCapture(ctx: SyncContext): GlueTableCapture {
  const capture: GlueTableCapture = { tables: [], complete: false };
  setState(ctx, STATE_KEY, capture);
  return capture;
}

/** What the data source sync of this run captured, if it ran in Glue mode. */
export function capturedGlueTables(ctx: SyncContext): GlueTableCapture | undefined {
  return getState(ctx, STATE_KEY);
}
