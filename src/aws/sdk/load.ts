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

/**
 * The exports of an SDK client package, loaded when one of them is first used (called,
 * constructed or read), not when the connector starts: a run loads only the clients of the
 * services it calls (an IAM-only run: neither Glue nor Identity Center), and `connector --version`
 * or `info` none. Each export is a stand-in that forwards to the real one, so `new`, calls,
 * static members and `instanceof` behave as with the package itself.
 */
export function lazyCommonJs<T extends object>(name: string): T {
  let loaded: Record<string, unknown> | undefined;
  const exported = (key: string): object => {
    loaded ??= loadCommonJs<Record<string, unknown>>(name);
    const value = loaded[key];
    if (typeof value !== 'function') throw new Error(`${name} has no export ${key}`);
    return value;
  };
  const standIns = new Map<string, object>();
  return new Proxy({} as T, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      let standIn = standIns.get(key);
      if (!standIn) {
        const made: object = new Proxy(function standIn() {}, {
          apply: (_t, thisArg, args: unknown[]) => Reflect.apply(exported(key) as (...a: unknown[]) => unknown, thisArg, args),
          construct: (_t, args: unknown[], newTarget) => Reflect.construct(exported(key) as new (...a: unknown[]) => object, args, newTarget === made ? (exported(key) as new () => object) : newTarget),
          get: (_t, prop) => Reflect.get(exported(key), prop),
          has: (_t, prop) => Reflect.has(exported(key), prop),
        });
        standIn = made;
        standIns.set(key, standIn);
      }
      return standIn;
    },
  });
}
