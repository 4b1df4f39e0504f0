export { JsonlSpool, type JsonlSpoolOptions } from './spool.js';
export { writeFileAtomic, fsyncDir, tempPathFor, ensureDir, FILE_MODE, DIR_MODE } from './atomic.js';
export { readJsonlGz, readJsonLines, jsonLines, type JsonLine } from './read.js';
