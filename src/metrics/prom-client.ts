import type * as PromClient from 'prom-client'

/**
 * prom-client, an optional peer dependency of daslog: loaded here, by
 * `daslog/metrics` only (importing `daslog` never loads it), with an error
 * that says what to install when it is missing.
 */
async function load (): Promise<typeof PromClient> {
  try {
    const loaded = await import('prom-client') as typeof PromClient & { default?: typeof PromClient }
    return loaded.default ?? loaded
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error
    throw new Error('daslog/metrics needs prom-client, an optional peer dependency of daslog that is not installed: run `npm install prom-client` (version 15 or later)', { cause: error })
  }
}

export const prom = await load()

export type Registry = PromClient.Registry
