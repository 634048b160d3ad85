import { isatty } from 'node:tty'
import { ConfigError } from '../errors.js'
import { booleanOption, describe, inConfigFile, optionObject, stringListOption, stringOption } from '../config/option-checks.js'

/** What `pretty` may hold, as users write it: `true`, or these settings. */
export interface PrettyOptionsInput {
  /** ANSI colours; by default when the destination is a terminal (and NO_COLOR is unset, or FORCE_COLOR is set). */
  readonly colorize?: boolean
  /** Every record on one line, its fields as JSON after the event. Default false: one field per indented line. */
  readonly singleLine?: boolean
  /** How the time is shown: a pino-pretty time format (`SYS:HH:MM:ss.l`, `UTC:yyyy-mm-dd HH:MM:ss`), or false for epoch ms. */
  readonly translateTime?: string | false
  /** Fields left out of the output. Default `['pid', 'hostname']`. */
  readonly ignore?: readonly string[]
  /** Where the text goes: 1 (stdout, the default), 2 (stderr) or a file path. */
  readonly destination?: 1 | 2 | string
}

/** The settings with every default filled in, as the prettifier takes them (plain data: they cross to the worker). */
export interface PrettyOptions {
  readonly colorize: boolean
  readonly singleLine: boolean
  readonly translateTime: string | false
  readonly ignore: readonly string[]
  readonly destination: 1 | 2 | string
}

const known = ['colorize', 'singleLine', 'translateTime', 'ignore', 'destination']

/** Checks `pretty`; undefined when it is off (`false` or not given). */
export function prettyOptions (value: unknown, file?: string): PrettyOptions | undefined {
  return inConfigFile(file, () => {
    if (value === undefined || value === false) return undefined
    const given = value === true ? {} : optionObject('pretty', value, known)
    const destination = destinationOption(given.destination)
    return {
      colorize: booleanOption('pretty.colorize', given.colorize, colorsByDefault(destination)),
      singleLine: booleanOption('pretty.singleLine', given.singleLine, false),
      translateTime: given.translateTime === undefined ? 'SYS:HH:MM:ss.l' : translateTimeOption(given.translateTime),
      ignore: given.ignore === undefined ? ['pid', 'hostname'] : stringListOption('pretty.ignore', given.ignore),
      destination
    }
  })
}

function destinationOption (value: unknown): 1 | 2 | string {
  if (value === undefined) return 1
  if (value === 1 || value === 2) return value
  if (typeof value === 'string' && value !== '') return value
  throw new ConfigError('pretty.destination', `expected 1 (stdout), 2 (stderr) or a file path, got ${describe(value)}`)
}

function translateTimeOption (value: unknown): string | false {
  if (value === false) return false
  return stringOption('pretty.translateTime', value)
}

/** Colours when writing to a terminal, as most CLI tools decide: NO_COLOR turns them off, FORCE_COLOR on. */
function colorsByDefault (destination: 1 | 2 | string): boolean {
  const env = process.env
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  return typeof destination === 'number' && isatty(destination) && env.TERM !== 'dumb'
}
