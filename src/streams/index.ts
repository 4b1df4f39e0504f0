export { JsonlSpool, type JsonlSpoolOptions } from './spool.js';
export { writeFileAtomic, fsyncDir, tempPathFor } from './atomic.js';
export { readJsonlGz, readJsonLines, jsonLines, type JsonLine } from './read.js';
