import { createRequire } from 'node:module'
import type * as PromClient from 'prom-client'

/**
 * prom-client (a dependency of daslog, for `daslog serve` too): loaded here, by
 * `daslog/metrics` only (importing `daslog` never loads it), with an error
 * that says what to install when it is missing. Loaded synchronously (it is
 * CommonJS), so `require('daslog/metrics')` works as well as `import`.
 */
function load (): typeof PromClient {
  try {
    return createRequire(import.meta.url)('prom-client') as typeof PromClient
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') throw error
    throw new Error('daslog/metrics needs prom-client (a dependency of daslog, 15 or later) and cannot find it: run `npm install prom-client`', { cause: error })
  }
}

export const prom = load()

export type Registry = PromClient.Registry
