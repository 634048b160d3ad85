import { ConfigError } from '../errors.js'
import { compileEventPatterns, patternProblem, type EventMatcher } from '../event-pattern.js'

/** Small checks for option objects, each throwing a ConfigError that names the option (`sampling.rate`). */

export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return String(value)
  if (value instanceof RegExp) return String(value)
  return typeof value
}

/**
 * Runs `parse` (a check of options read from `file`, when they came from one)
 * and rethrows a ConfigError that does not name a file with `file` named.
 */
export function inConfigFile<T> (file: string | undefined, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof ConfigError && file !== undefined && error.file === undefined) {
      throw new ConfigError(error.option, error.problem, file, { cause: error })
    }
    throw error
  }
}

/** The options object itself (undefined means `{}`); unknown keys are refused so a typo never passes silently. */
export function optionObject (option: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {}
  if (!isObject(value)) throw new ConfigError(option, `expected an object, got ${describe(value)}`)
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`${option}.${key}`, `unknown option (known: ${known.join(', ')})`)
  }
  return value
}

export function rateOption (option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ConfigError(option, `expected a rate from 0 to 1, got ${describe(value)}`)
  return value
}

export function positiveIntegerOption (option: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new ConfigError(option, `expected a positive integer, got ${describe(value)}`)
  return value as number
}

export function integerOption (option: string, value: unknown, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ConfigError(option, `expected an integer from ${min} to ${max}, got ${describe(value)}`)
  }
  return value as number
}

export function stringOption (option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ConfigError(option, `expected a non-empty string, got ${describe(value)}`)
  return value
}

/** A string or an array of strings, as an array; `nonEmpty` refuses an empty array. */
export function stringListOption (option: string, value: unknown, nonEmpty = false): string[] {
  if (typeof value === 'string') return [value]
  if (!Array.isArray(value)) throw new ConfigError(option, `expected a string or an array of strings, got ${describe(value)}`)
  if (nonEmpty && value.length === 0) throw new ConfigError(option, 'expected at least one entry, got an empty array')
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item === '') throw new ConfigError(`${option}[${i}]`, `expected a non-empty string, got ${describe(item)}`)
  })
  return value as string[]
}

/** One event pattern (`auth_*`, `*_failed`, an exact name), checked. */
export function eventPatternOption (option: string, value: unknown): string {
  const problem = patternProblem(value)
  if (problem !== undefined) throw new ConfigError(option, problem)
  return value as string
}

/** A non-empty pattern or list of patterns, each checked, compiled into one matcher. */
export function eventPatternsOption (option: string, value: unknown): EventMatcher {
  const patterns = stringListOption(option, value, true)
  patterns.forEach((pattern, i) => eventPatternOption(`${option}[${i}]`, pattern))
  return compileEventPatterns(patterns)
}

export function booleanOption (option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new ConfigError(option, `expected true or false, got ${describe(value)}`)
  return value
}

/** An absolute URL with one of `protocols` (`['http:', 'https:']`). */
export function urlOption (option: string, value: unknown, protocols: readonly string[]): URL {
  const text = stringOption(option, value)
  const kinds = protocols.map((protocol) => `${protocol}//`).join(' or ')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigError(option, `expected an absolute ${kinds} URL, got ${JSON.stringify(text)}`)
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(option, `expected an ${kinds} URL, got ${url.protocol}`)
  return url
}

/**
 * An object of integers (`{ size, intervalMs }`), each checked against its
 * bounds and defaulted on its own; unknown keys refused.
 */
export function integerFieldsOption<K extends string> (option: string, value: unknown, fields: Readonly<Record<K, { readonly fallback: number, readonly min: number, readonly max: number }>>): Record<K, number> {
  const given = optionObject(option, value, Object.keys(fields))
  const parsed = {} as Record<K, number>
  for (const key of Object.keys(fields) as K[]) {
    const { fallback, min, max } = fields[key]
    parsed[key] = given[key] === undefined ? fallback : integerOption(`${option}.${key}`, given[key], min, max)
  }
  return parsed
}
