import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use, not at start-up: pg, undici, dockerode and the HDR
 * histogram together cost about 0.7 s and 80 MB to load, which a host-only run (or `--help`)
 * should not pay (issue 2's start-up and memory targets; bench/cli-cost.mjs).
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
