import { ConfigError } from '../errors.js'
import { didYouMean } from '../did-you-mean.js'
import { isLevelName, levelNames } from '../levels.js'
import { describe, isObject } from './option-checks.js'

/** Returns a description of what is wrong with a value, or undefined when it is fine. */
type Check = (value: unknown) => string | undefined

const expect = (ok: (value: unknown) => boolean, what: string): Check =>
  (value) => ok(value) ? undefined : `expected ${what}, got ${describe(value)}`

const string = expect((v) => typeof v === 'string', 'a string')
const boolean = expect((v) => typeof v === 'boolean', 'true or false')
const fn = expect((v) => typeof v === 'function', 'a function')
const positiveInteger = expect((v) => Number.isInteger(v) && (v as number) > 0, 'a positive integer')
const objectOf = (item: Check, what: string): Check => (value) => {
  if (!isObject(value)) return `expected an object of ${what}, got ${describe(value)}`
  for (const [key, entry] of Object.entries(value)) {
    const problem = item(entry)
    if (problem !== undefined) return `"${key}": ${problem}`
  }
  return undefined
}

const checkRedact: Check = (value) => {
  const paths = isObject(value) ? value.paths : value
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    return `expected an array of path strings or { paths, censor?, remove? }, got ${describe(value)}`
  }
  return undefined
}

const checkTransport: Check = (value) => {
  if (!isObject(value)) return `expected { target, options } or { targets: [...] } or { pipeline: [...] }, got ${describe(value)}`
  const kinds = ['target', 'targets', 'pipeline'].filter((k) => value[k] !== undefined)
  if (kinds.length !== 1) return 'give exactly one of "target", "targets" or "pipeline"'
  if (value.target !== undefined && typeof value.target !== 'string') return '"target" must be a module name or path'
  for (const list of ['targets', 'pipeline'] as const) {
    const entries = value[list]
    if (entries === undefined) continue
    if (!Array.isArray(entries) || entries.length === 0) return `"${list}" must be a non-empty array`
    for (const [i, entry] of entries.entries()) {
      if (!isObject(entry)) return `"${list}[${i}]" must be an object`
      if (typeof entry.target !== 'string' && !Array.isArray(entry.pipeline)) return `"${list}[${i}].target" must be a module name or path`
      if (entry.level !== undefined && typeof entry.level !== 'string' && typeof entry.level !== 'number') return `"${list}[${i}].level" must be a level name`
    }
  }
  return undefined
}

const checkProcessors: Check = (value) => {
  if (!Array.isArray(value)) return `expected an array of processor functions, got ${describe(value)}`
  const bad = value.findIndex((p) => typeof p !== 'function')
  return bad === -1 ? undefined : `"processors[${bad}]" is ${describe(value[bad])}, not a function`
}

const checkCatalog: Check = (value) =>
  isObject(value) && isObject(value.events) ? undefined : `expected a generated catalog ({ events }), got ${describe(value)}`

/** pino's own options. */
const pinoChecks: Record<string, Check> = {
  name: string,
  level: string,
  levelComparison: expect((v) => v === 'ASC' || v === 'DESC' || typeof v === 'function', '"ASC", "DESC" or a function'),
  customLevels: objectOf(expect((v) => Number.isInteger(v), 'an integer level value'), 'level values'),
  useOnlyCustomLevels: boolean,
  mixin: fn,
  mixinMergeStrategy: fn,
  redact: checkRedact,
  hooks: objectOf(fn, 'hook functions'),
  formatters: objectOf(fn, 'formatter functions'),
  serializers: objectOf(fn, 'serializer functions'),
  msgPrefix: string,
  base: expect((v) => v === null || isObject(v), 'an object or null'),
  enabled: boolean,
  crlf: boolean,
  timestamp: expect((v) => typeof v === 'boolean' || typeof v === 'function', 'true, false or a function'),
  errorKey: string,
  nestedKey: string,
  safe: boolean,
  depthLimit: positiveInteger,
  edgeLimit: positiveInteger,
  onChild: fn,
  transport: checkTransport
}

/** daslog's own options. */
const daslogChecks: Record<string, Check> = {
  processors: checkProcessors,
  // the built-in processors as data; each checks its own fields when it is built
  sampling: expect(isObject, 'sampling options { rate, events, keepAtOrAbove, by, rateLimit }'),
  masking: expect(isObject, 'masking options { paths, keys, patterns, mode, secret, censor }'),
  batching: expect(isObject, 'batching options { events, size, intervalMs }'),
  config: expect((v) => v === false || typeof v === 'string', 'a file path or false'),
  // checked in full when the logger is built
  shutdown: expect((v) => v === false || isObject(v), 'shutdown options { graceMs, signals, uncaughtException } or false'),
  deadLetter: expect((v) => typeof v === 'string' && v !== '', 'a file path'),
  maxStringLength: positiveInteger,
  pretty: expect((v) => typeof v === 'boolean' || isObject(v), 'true, false or pretty options { colorize, singleLine, translateTime, ignore, destination }'),
  catalog: checkCatalog,
  traceContext: boolean,
  validate: expect((v) => v === false || v === 'warn' || v === 'strict', "'warn', 'strict' or false")
}

/** The names of the options daslog adds to pino's (documented in docs/, checked by test/docs.test.ts). */
export const daslogOptionNames: readonly string[] = Object.keys(daslogChecks)

/** Every option createLogger accepts. */
const checks: Record<string, Check> = { ...pinoChecks, ...daslogChecks }

const refused: Record<string, string> = {
  messageKey: 'daslog writes the event name under "event"; it cannot be changed',
  browser: 'daslog runs on Node.js only',
  prettyPrint: 'removed from pino; use pretty: true (or the pino-pretty transport)'
}

/** Throws a ConfigError for the first unknown or ill-typed option; `file` names where the options came from. */
export function validateOptions (options: Record<string, unknown>, file?: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    const reason = refused[key]
    if (reason !== undefined) throw new ConfigError(key, reason, file)
    const check = checks[key]
    if (check === undefined) throw new ConfigError(key, `unknown option${suggest(key)}`, file)
    const problem = check(value)
    if (problem !== undefined) throw new ConfigError(key, problem, file)
  }
}

/** Checks the level against the levels in force (pino's plus any custom ones). */
export function validateLevel (options: Record<string, unknown>, file?: string): void {
  const level = options.level
  if (level === undefined || level === 'silent' || isLevelName(level)) return
  const custom = isObject(options.customLevels) ? Object.keys(options.customLevels) : []
  if (custom.includes(level as string)) return
  const names = [...levelNames, 'silent', ...custom]
  throw new ConfigError('level', `unknown level "${String(level)}"${didYouMean(String(level), names)}; expected ${names.join(', ')}`, file)
}

/**
 * Checks the `level` of every transport target and pipeline
 * (`transport.targets[1].level`) against pino's levels, the logger's
 * `customLevels` and the transport's own `levels`: pino's worker reads an
 * unknown name as no level at all, and the target then receives nothing.
 * `file` is the config file the transport came from, if any.
 */
export function validateTransportLevels (options: Record<string, unknown>, file?: string): void {
  const transport = options.transport
  if (!isObject(transport)) return
  const custom = [
    ...isObject(options.customLevels) ? Object.keys(options.customLevels) : [],
    ...isObject(transport.levels) ? Object.keys(transport.levels) : []
  ]
  const names = [...levelNames, 'silent', ...new Set(custom)]
  const check = (level: unknown, option: string): void => {
    if (level === undefined || level === null) return
    if (typeof level === 'number' ? Number.isFinite(level) : names.includes(level as string)) return
    const given = typeof level === 'string' ? `unknown level "${level}"${didYouMean(level, names)}` : `expected a level name or number, got ${describe(level)}`
    throw new ConfigError(option, `${given}; expected ${names.join(', ')} or a level number (a target with an unknown level receives nothing)`, file)
  }
  const steps = (pipeline: unknown, where: string): void => {
    if (Array.isArray(pipeline)) pipeline.forEach((step, j) => { if (isObject(step)) check(step.level, `${where}[${j}].level`) })
  }
  check(transport.level, 'transport.level')
  steps(transport.pipeline, 'transport.pipeline')
  if (!Array.isArray(transport.targets)) return
  transport.targets.forEach((entry, i) => {
    if (!isObject(entry)) return
    check(entry.level, `transport.targets[${i}].level`)
    steps(entry.pipeline, `transport.targets[${i}].pipeline`)
  })
}

function suggest (key: string): string {
  return didYouMean(key, Object.keys(checks))
}
