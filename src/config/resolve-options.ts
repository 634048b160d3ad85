import { ConfigError } from '../errors.js'
import { findConfigFile, loadConfigFile } from './load-config.js'
import { validateLevel, validateOptions } from './validate-options.js'

export interface ResolvedOptions {
  /** The config file's options overridden by the options given in code. */
  readonly options: Record<string, unknown>
  /** The config file that was loaded, if any. */
  readonly configFile: string | undefined
  /** The config file an option's value came from, or undefined when it was given in code. */
  readonly fileOf: (option: string) => string | undefined
}

const inCode = (): undefined => undefined

/** Validates the code options, loads and validates the config file they point at, and merges the two (code wins). */
export function resolveOptions (code: Record<string, unknown>): ResolvedOptions {
  validateOptions(code)
  const configFile = code.config === false ? undefined : findConfigFile(code.config as string | undefined)
  if (configFile === undefined) {
    validateLevel(code)
    return { options: code, configFile, fileOf: inCode }
  }
  const loaded = loadConfigFile(configFile)
  validateOptions(loaded.options, configFile)
  if (loaded.options.config !== undefined) throw new ConfigError('config', 'a config file cannot name another config file', configFile)
  const options: Record<string, unknown> = { ...loaded.options }
  for (const [key, value] of Object.entries(code)) {
    if (value !== undefined) options[key] = value
  }
  validateLevel(options, code.level === undefined ? configFile : undefined)
  const fileOf = (option: string): string | undefined => code[option] === undefined && loaded.options[option] !== undefined ? configFile : undefined
  return { options, configFile, fileOf }
}
