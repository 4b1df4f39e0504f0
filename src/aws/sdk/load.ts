import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads a CommonJS package (the AWS SDK clients) with require instead of import. The SDK's
 * packages resolve to their CommonJS build, and an ESM import of that build makes Node parse each
 * large entry file twice more (module-format detection, then the lexer that finds its export
 * names): about 200 ms of CPU on every start for the eight clients. require shares Node's module
 * cache with import, so the classes are the very ones the tests and the SDK's own code see.
 */
export function loadCommonJs<T>(name: string): T {
  return requireFromHere(name) as T;
}
