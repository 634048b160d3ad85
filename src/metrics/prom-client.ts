import { createRequire } from 'node:module'
import type * as PromClient from 'prom-client'

/**
 * prom-client, an optional peer dependency of daslog: loaded here, by
 * `daslog/metrics` only (importing `daslog` never loads it), with an error
 * that says what to install when it is missing. Loaded synchronously (it is
 * CommonJS), so `require('daslog/metrics')` works as well as `import`.
 */
function load (): typeof PromClient {
  try {
    return createRequire(import.meta.url)('prom-client') as typeof PromClient
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') throw error
    throw new Error('daslog/metrics needs prom-client, an optional peer dependency of daslog that is not installed: run `npm install prom-client` (version 15 or later)', { cause: error })
  }
}

export const prom = load()

export type Registry = PromClient.Registry
