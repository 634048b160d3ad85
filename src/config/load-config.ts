import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'

/** The file names `createLogger()` looks for in the working directory, in this order. */
export const configFileNames = ['pino.config.mjs', 'pino.config.js', 'pino.config.cjs', 'pino.config.json'] as const

export interface LoadedConfig {
  readonly file: string
  readonly options: Record<string, unknown>
}

const requireModule = createRequire(import.meta.url)

/**
 * Finds the config file: the explicit path, else `DASLOG_CONFIG`, else the
 * first `pino.config.*` in the working directory. Returns undefined when
 * there is none to load. An explicit path that does not exist is an error.
 */
export function findConfigFile (explicit: string | undefined, cwd = process.cwd(), env = process.env): string | undefined {
  const named = explicit ?? (env.DASLOG_CONFIG === undefined || env.DASLOG_CONFIG === '' ? undefined : env.DASLOG_CONFIG)
  if (named !== undefined) {
    const file = resolve(cwd, named)
    if (!existsSync(file)) {
      throw new ConfigError(explicit === undefined ? 'DASLOG_CONFIG' : 'config', `the config file ${file} does not exist`)
    }
    return file
  }
  for (const name of configFileNames) {
    const file = resolve(cwd, name)
    if (existsSync(file)) return file
  }
  return undefined
}

/** Loads a config file synchronously (ESM files through require(esm), Node >= 20.19). */
export function loadConfigFile (file: string): LoadedConfig {
  let loaded: unknown
  try {
    if (file.endsWith('.json')) {
      loaded = JSON.parse(readFileSync(file, 'utf8'))
    } else {
      const mod = requireModule(file) as { default?: unknown }
      loaded = mod !== null && typeof mod === 'object' && 'default' in mod ? mod.default : mod
    }
  } catch (err) {
    throw new ConfigError('config', `cannot load it: ${(err as Error).message}`, file, { cause: err })
  }
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw new ConfigError('config', 'the file must export (or contain) an options object', file)
  }
  return { file, options: loaded as Record<string, unknown> }
}
