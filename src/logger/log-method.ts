import { symbols } from 'pino'
import type { Logger as PinoLogger } from 'pino'
import type { LevelName } from '../levels.js'
import { runProcessors } from '../processors/chain.js'
import type { EventRecord } from '../processors/types.js'
import { contextState, currentContext } from './context.js'
import type { LoggerCore } from './logger-core.js'

/** Hands one record to pino: its writer directly, or its level method when a hook or prefix must see the call. */
export type WriteFn = (target: PinoLogger, obj: unknown, msg: string | undefined) => void

/** What a generated level method is called with; `fields` is whatever a (possibly untyped) caller passed. */
export type LogFn = (this: LoggerCore, event: string, fields?: unknown) => void

/** pino's internal writer, a public symbol: the step its level methods end in. */
const writeSym: unique symbol = symbols.writeSym as never
interface PinoWriter {
  [writeSym]: (obj: unknown, msg: string | undefined, levelValue: number) => void
}

/**
 * Builds the method for one level, specialized once at setup the way pino's
 * genLog is: the common case (no processors, no pino logMethod hook or
 * msgPrefix) hands the caller's object straight to pino's writer with the
 * event name as pino's message, so a call allocates nothing of its own.
 */
export function genLog (level: LevelName, levelValue: number, direct: boolean, withProcessors: boolean): LogFn {
  const write: WriteFn = direct
    ? (target: PinoLogger, obj: unknown, msg: string | undefined) => { (target as unknown as PinoWriter)[writeSym](obj, msg, levelValue) }
    : (target: PinoLogger, obj: unknown, msg: string | undefined) => { target[level](obj as object, msg) }

  if (withProcessors) {
    return function logThroughProcessors (event, fields) {
      const record = Object.assign({ event }, currentContext(), asFields(fields)) as EventRecord
      record.event = event
      const shared = this._shared
      const output = runProcessors(shared.processors, record, this._meta[level], shared.onProcessorFailure)
      if (output === null) return
      try {
        write(this._pino, output, undefined)
      } catch (error) {
        shared.writeFailed(this._pino, write, output, undefined, error)
      }
    }
  }

  return function log (event, fields) {
    let obj = fields
    if (typeof obj !== 'object' && obj !== undefined) obj = asFields(obj)
    if (contextState.active) obj = withCurrentContext(obj)
    try {
      write(this._pino, obj, event)
    } catch (error) {
      this._shared.writeFailed(this._pino, write, obj, event, error)
    }
  }
}

/** What an untyped caller passed as fields, made an object: `info(e, 'text')` logs `{ value: 'text' }`. */
function asFields (fields: unknown): object | undefined {
  if (fields === undefined || fields === null) return undefined
  if (fields instanceof Error) return { err: fields }
  return typeof fields === 'object' ? fields : { value: fields }
}

function withCurrentContext (fields: unknown): unknown {
  const context = currentContext()
  if (context === undefined) return fields
  return fields === undefined || fields === null ? context : Object.assign({}, context, fields)
}
