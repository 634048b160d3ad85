import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { ConfigFileError, loadFailure } from './config-file-error.js'
import { describe, isObject } from './option-checks.js'

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

/**
 * Loads a config file synchronously (ESM files through require(esm), Node >= 20.19).
 * The options are the default export (`export default { ... }`) or, in
 * CommonJS, `module.exports = { ... }`; an ES module without a default
 * export is refused rather than read through its named exports.
 */
export function loadConfigFile (file: string): LoadedConfig {
  let loaded: unknown
  if (file.endsWith('.json')) {
    try {
      loaded = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new ConfigError('config', `cannot load it: ${(err as Error).message}`, file, { cause: err })
    }
  } else {
    let mod: unknown
    try {
      mod = requireModule(file)
    } catch (err) {
      throw loadFailure(file, err)
    }
    loaded = optionsExportOf(file, mod)
  }
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw new ConfigError('config', `the file must export (or contain) an options object, got ${describe(loaded)}: ${expected}`, file)
  }
  if (isObject((loaded as Record<string, unknown>).config)) {
    // `export const config = {...}` read as options, or `module.exports = { config: {...} }`.
    throw new ConfigFileError(file, `it exports an object named "config", but the options themselves must be the export: ${expected}`)
  }
  return { file, options: loaded as Record<string, unknown> }
}

const expected = 'export default { level: \'info\', ... } (in CommonJS: module.exports = { ... })'

/**
 * The options a loaded module exports: an ES module's default export
 * (require(esm) gives its namespace; tsx's require gives esbuild's CommonJS
 * form, marked `__esModule`), or a CommonJS module's `module.exports`.
 */
function optionsExportOf (file: string, mod: unknown): unknown {
  if (mod === null || typeof mod !== 'object') return mod
  const esModule = Object.prototype.toString.call(mod) === '[object Module]' || (mod as { __esModule?: unknown }).__esModule === true
  if ('default' in mod) return (mod as { default?: unknown }).default
  if (!esModule) return mod
  const names = Object.keys(mod).filter((name) => name !== '__esModule')
  const exportsWhat = names.length === 0 ? 'it exports nothing' : `it exports only ${names.map((name) => `"${name}"`).join(', ')}`
  throw new ConfigFileError(file, `it has no default export (${exportsWhat}); the options must be its default export: ${expected}`)
}
