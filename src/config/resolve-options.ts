import { ConfigError } from '../errors.js'
import { findConfigFile, loadConfigFile } from './load-config.js'
import { isObject } from './option-checks.js'
import { validateLevel, validateOptions, validateTransportLevels } from './validate-options.js'

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
    validateTransportLevels(code)
    return { options: withCustomLevelsInTransport(code), configFile, fileOf: inCode }
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
  validateTransportLevels(options, fileOf('transport'))
  return { options: withCustomLevelsInTransport(options), configFile, fileOf }
}

/**
 * The options with the logger's `customLevels` given to the transport as its
 * `levels`, as pino.transport() is given them by pino, so that a target's
 * `level: 'notice'` means the custom level in the worker too.
 */
function withCustomLevelsInTransport (options: Record<string, unknown>): Record<string, unknown> {
  const { transport, customLevels } = options
  if (!isObject(transport) || !isObject(customLevels) || transport.levels !== undefined) return options
  return { ...options, transport: { ...transport, levels: customLevels } }
}
