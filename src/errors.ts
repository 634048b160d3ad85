/**
 * The daslog error family: one base class with a stable `code`, subclasses
 * whose messages name the option, file or catalog entry at fault.
 */

const brand = Symbol.for('daslog.error')

export type DaslogErrorCode =
  | 'DASLOG_CONFIG'
  | 'DASLOG_CATALOG'
  | 'DASLOG_TRANSPORT'
  | 'DASLOG_STORE'

export class DaslogError extends Error {
  override name = 'DaslogError'
  readonly code: DaslogErrorCode
  readonly [brand] = true

  constructor (code: DaslogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** A wrong logger option or configuration file. `option` names the key, `file` the config file if any. */
export class ConfigError extends DaslogError {
  override name = 'ConfigError'
  readonly option: string
  /** What is wrong, without the option and file. */
  readonly problem: string
  readonly file: string | undefined

  constructor (option: string, problem: string, file?: string, options?: { cause?: unknown }) {
    super('DASLOG_CONFIG', `Invalid option "${option}"${file === undefined ? '' : ` in ${file}`}: ${problem}`, options)
    this.option = option
    this.problem = problem
    this.file = file
  }
}

/**
 * A wrong option of a daslog transport: `transport` is its kind (`csv`),
 * `option` the key inside its options (`rotate.size`), `target` where it sits
 * in the logger's options (`transport.targets[0]`) when createLogger checked it.
 */
export class TransportConfigError extends ConfigError {
  override name = 'TransportConfigError'
  readonly transport: string
  readonly target: string | undefined

  constructor (transport: string, option: string, problem: string, where: { target?: string, file?: string | undefined } = {}) {
    super(option, problem, where.file)
    this.transport = transport
    this.target = where.target
    const at = where.target === undefined ? '' : ` (${where.target})`
    this.message = `Invalid option "${option}" of daslog/transports/${transport}${at}${where.file === undefined ? '' : ` in ${where.file}`}: ${problem}`
  }
}

/** One problem of a catalog file: the path of the offending entry and the rule it breaks. */
export interface CatalogProblem {
  readonly entry: string
  readonly rule: string
}

/** How many problems a CatalogError's message lists; `problems` holds them all. */
const listedProblems = 20

/**
 * An invalid event catalog. `entry` is the path of the offending entry, e.g.
 * `domains.auth.login.statuses`; when the file has more than one problem,
 * `problems` holds them all (the first is `entry` and `rule`) and the message
 * has one line for each.
 */
export class CatalogError extends DaslogError {
  override name = 'CatalogError'
  readonly entry: string
  readonly rule: string
  readonly file: string | undefined
  readonly problems: readonly CatalogProblem[]

  constructor (entry: string, rule: string, file?: string, more: readonly CatalogProblem[] = []) {
    const problems = [{ entry, rule }, ...more]
    const where = file === undefined ? 'catalog' : file
    const lines = problems.slice(0, listedProblems).map((problem) => `${where}: ${problem.entry}: ${problem.rule}`)
    if (problems.length > listedProblems) lines.push(`${where}: and ${problems.length - listedProblems} more problems`)
    super('DASLOG_CATALOG', lines.join('\n'))
    this.entry = entry
    this.rule = rule
    this.file = file
    this.problems = problems
  }
}

/** True for any daslog error, also one thrown by another copy of daslog (another realm or version). */
export function isDaslogError (value: unknown): value is DaslogError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
}
