import type { Logger as PinoLogger } from 'pino'
import type { LevelName } from '../levels.js'
import { runProcessors } from '../processors/chain.js'
import type { EventRecord, Processor, RecordMeta } from '../processors/types.js'
import { contextState, currentContext } from './context.js'
import type { LoggerCore } from './logger-core.js'
import { toSafeValue } from './safe-value.js'
import { levelIndex, type EventTap } from '../metrics/event-counts.js'
import { writeFailed, writeOnce } from './write-once.js'
import type { LineWrite } from './plain-line.js'

/** Hands one record to pino: its writer directly, or its level method when a hook or prefix must see the call. */
export type WriteFn = (target: PinoLogger, obj: unknown, msg: string | undefined) => void

/** What a generated level method is called with; `fields` is whatever a (possibly untyped) caller passed. */
export type LogFn = (this: LoggerCore, event: string, fields?: unknown) => void

/**
 * How records of one level reach pino. Without a pino logMethod hook or
 * msgPrefix, pino's level method would only massage arguments
 * daslog already has in shape, so the step it ends in is taken straight
 * away: `line`, pino's writer or one making the same line faster (see
 * plain-line.ts). A record written is counted in `tap` once metrics are registered (the
 * event is pino's message, or the record's `event` when processors made it).
 */
export function writerFor (level: LevelName, levelValue: number, line: LineWrite | undefined, tap: EventTap): WriteFn {
  const counted = levelIndex(level)
  return line !== undefined
    ? (target, obj, msg) => {
        line(target, obj, msg, levelValue)
        if (tap.counts !== undefined) tap.counts.written(counted, msg ?? (obj as { event?: unknown }).event)
      }
    : (target, obj, msg) => {
        target[level](obj as object, msg)
        if (tap.counts !== undefined) tap.counts.written(counted, msg ?? (obj as { event?: unknown }).event)
      }
}

/**
 * Builds the method for one level, specialized once at setup the way pino's
 * genLog is. With no processors, the caller's object goes straight to pino
 * with the event name as pino's message, so a call allocates nothing of its
 * own. A first processor with `admit` (sampling) decides before anything is
 * copied, so a dropped call allocates nothing either. When every other
 * processor works copy-on-write on plain fields (masking), the fields go
 * through them and on to pino without a record copy; otherwise the record
 * is copied once and run through the chain.
 */
export function genLog (level: LevelName, write: WriteFn, processors: readonly Processor[]): LogFn {
  if (processors.length === 0) return directLog(write)
  const admit = processors[0]!.admit
  const from = admit === undefined ? 0 : 1
  const rest = processors.slice(from)
  if (rest.every((processor) => processor.fields !== undefined)) return fieldsLog(level, write, admit, processors, from)

  return function logThroughProcessors (event, fields) {
    const shared = this._shared
    const meta = this._meta[level]
    let kept = 1
    if (admit !== undefined) {
      kept = admitted(admit, processors[0]!, shared, event, fields, meta)
      if (kept === 0) return
    }
    const record = copyRecord(event, fields)
    if (kept < 1) record.sample_rate = kept
    const output = runProcessors(processors, record, meta, shared.onProcessorFailure, from, shared.onProcessorDrop)
    if (output === null) return
    try {
      // The record carries its `event`; `msg` and the bound keys are what could repeat.
      if (this._clash.record(output)) return writeOnce(this, write, output, undefined)
      write(this._pino, output, undefined)
    } catch (error) {
      writeFailed(this, write, output, undefined, error)
    }
  }
}

function directLog (write: WriteFn): LogFn {
  return function log (event, fields) {
    const obj = callFields(fields)
    try {
      if (this._clash.fields(obj)) return writeOnce(this, write, obj as object, event)
      write(this._pino, obj, event)
    } catch (error) {
      writeFailed(this, write, obj, event, error)
    }
  }
}

/** The chain without a record copy: `admit`, then each processor's copy-on-write `fields`, then pino with the event as its message. */
function fieldsLog (level: LevelName, write: WriteFn, admit: Processor['admit'], processors: readonly Processor[], from: number): LogFn {
  const transforms = processors.slice(from).map((processor) => processor.fields!)
  return function logThroughFields (event, fields) {
    const shared = this._shared
    let kept = 1
    if (admit !== undefined) {
      kept = admitted(admit, processors[0]!, shared, event, fields, this._meta[level])
      if (kept === 0) return
    }
    // An Error given as the fields goes under `err`, as on the record path, so paths like `err.message` apply.
    let obj = callFields(fields instanceof Error ? { err: fields } : fields) as Readonly<Record<string, unknown>> | undefined
    if (kept < 1) obj = Object.assign({}, obj, { sample_rate: kept })
    if (obj !== undefined) {
      for (let i = 0; i < transforms.length; i++) {
        try {
          obj = transforms[i]!(obj)
        } catch (error) {
          shared.onProcessorFailure(processors[from + i]!, from + i, error)
          return
        }
      }
    }
    try {
      if (this._clash.fields(obj)) return writeOnce(this, write, obj as object, event)
      write(this._pino, obj, event)
    } catch (error) {
      writeFailed(this, write, obj, event, error)
    }
  }
}

/** The first processor's `admit` decision; a throw drops the record and is reported like any processor's. */
function admitted (admit: NonNullable<Processor['admit']>, processor: Processor, shared: LoggerCore['_shared'], event: string, fields: unknown, meta: RecordMeta): number {
  try {
    const kept = admit(event, fields, meta)
    if (kept === 0) shared.onProcessorDrop(processor)
    return kept
  } catch (error) {
    shared.onProcessorFailure(processor, 0, error)
    return 0
  }
}

/** The call's fields as pino takes them: made an object, with the implicit context when there is one. */
function callFields (fields: unknown): unknown {
  let obj = fields
  if (typeof obj !== 'object' && obj !== undefined) obj = asFields(obj)
  return contextState.active ? withCurrentContext(obj) : obj
}

/** The chain's own copy of the record; fields with a throwing getter are copied JSON-safe instead. */
function copyRecord (event: string, fields: unknown): EventRecord {
  let record: EventRecord
  try {
    record = Object.assign({ event }, currentContext(), asFields(fields))
  } catch {
    record = Object.assign({ event }, currentContext(), toSafeValue(asFields(fields)))
  }
  record.event = event
  return record
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
