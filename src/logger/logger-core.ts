import type { Logger as PinoLogger } from 'pino'
import type { Catalog } from '../catalog/types.js'
import { isLevelName, levelNames, levelValues, type LevelName } from '../levels.js'
import type { Processor, RecordMeta } from '../processors/types.js'
import type { ProcessorFailure } from '../processors/chain.js'
import { withContext } from './context.js'
import type { LogFn, WriteFn } from './log-method.js'
import { runTimed, type AddTimedFields } from './timed.js'
import { writeEventOnly } from './event-message.js'
import { childOf, clashTestsOf, rebound, without, type ClashTests } from './write-once.js'
import type { DeliveryFailure, TransportStats } from '../../transports/shared/protocol.js'
import type { ShutdownMember } from '../lifecycle/process-hooks.js'

const ownerSym = Symbol('daslog.owner')

/** What every logger of one `createLogger` call shares: set up once, read by the level methods. */
export interface SharedState {
  readonly methods: Readonly<Record<LevelName, LogFn>>
  readonly writers: Readonly<Record<LevelName, WriteFn>>
  readonly processors: readonly Processor[]
  readonly catalog: Catalog
  /** Reports a throwing processor (once per processor) and counts every record it dropped; `close()` reports the counts. */
  readonly onProcessorFailure: ProcessorFailure
  /** Emits what processors hold (batches, suppression summaries), synchronously. */
  readonly flushProcessors: () => void
  /** The slow path after a write threw: retry with a JSON-safe copy, then a marker record; never throws. */
  readonly writeFailed: (target: PinoLogger, write: WriteFn, obj: unknown, msg: string | undefined, error: unknown) => void
  /** The counters of the daslog transports in the worker. */
  readonly transportStats: () => TransportStats[]
  readonly onDeliveryFailure: (listener: (failure: DeliveryFailure) => void) => () => void
  /** Flushes with `flush`, then ends the transport daslog opened; once, however often it is called. */
  readonly close: (flush: () => Promise<void>) => Promise<void>
  /** Joins the process hooks (exit, signals, uncaught exceptions) until close. */
  readonly takePartInShutdown: (member: ShutdownMember) => void
  /** At process exit: flushes the processors and ends the transport worker, synchronously. */
  readonly exitNow: () => void
}

function noop (): void {}

type MetaTable = Readonly<Record<LevelName, RecordMeta>>

/** The level each event of a catalog declares, for `event()`; events that declare none are not in it (they log at info). */
type EventLevels = ReadonlyMap<string, LevelName>

const levelsByCatalog = new WeakMap<Catalog, EventLevels>()

/** Built once per catalog (at the first createLogger that uses it), so `event()` costs one Map lookup. */
function eventLevels (catalog: Catalog): EventLevels {
  let levels = levelsByCatalog.get(catalog)
  if (levels === undefined) {
    const table = new Map<string, LevelName>()
    for (const [name, spec] of Object.entries(catalog.events)) {
      const level = (spec as { level?: unknown } | null | undefined)?.level
      if (isLevelName(level)) table.set(name, level)
    }
    levelsByCatalog.set(catalog, levels = table)
  }
  return levels
}

/**
 * The runtime logger. Level methods are own properties set by `applyLevel`
 * (an empty function for a disabled level, as pino does); a bound child is
 * `Object.create(parent)` with its own pino child, so it inherits the
 * parent's methods until its own level is set.
 */
export class LoggerCore {
  declare trace: LogFn
  declare debug: LogFn
  declare info: LogFn
  declare warn: LogFn
  declare error: LogFn
  declare fatal: LogFn

  _pino: PinoLogger
  /** The pino logger of `createLogger` (shared by the bound children): bindings fragments without repeats are made from it. */
  _root: PinoLogger
  _shared: SharedState
  _bindings: Readonly<Record<string, unknown>>
  /** `event`, `msg`, then the bound keys: what a call is checked for before pino writes it (see write-once.ts). */
  _clash: ClashTests
  /** This logger's own pino children for calls that repeat keys, per repeated-key set; made on first use. */
  _variants: Map<string, PinoLogger> | undefined
  _meta: MetaTable
  /** Shared by the bound children (they inherit it). */
  _eventLevels: EventLevels

  constructor (pinoLogger: PinoLogger, shared: SharedState) {
    this._pino = pinoLogger
    this._root = pinoLogger
    this._shared = shared
    this._eventLevels = eventLevels(shared.catalog)
    this._bindings = Object.freeze({})
    this._clash = clashTestsOf(this._bindings)
    this._variants = undefined
    this._meta = metaTable(this._bindings)
    adopt(pinoLogger, this)
    // pino announces every level change, also ones made through `logger.pino`; follow them.
    pinoLogger.on('level-change', (_label, _value, _previousLabel, _previousValue, changed) => {
      const owner = ownerOf(changed as PinoLogger)
      if (owner !== undefined) owner.applyLevel()
    })
    this.applyLevel()
  }

  /** Sets this logger's level methods from its pino logger's level. */
  applyLevel (): void {
    const { methods } = this._shared
    for (const name of levelNames) {
      this[name] = this._pino.isLevelEnabled(name) ? methods[name] : noop
    }
  }

  /**
   * Logs at the level the catalog declares for the event, `info` when it
   * declares none (or the name is not in the catalog): the level method of
   * that level does the rest, so a disabled level costs the lookup only.
   */
  event (event: string, fields?: unknown): void {
    this[this._eventLevels.get(event) ?? 'info'](event, fields)
  }

  bind (context: string | Readonly<Record<string, unknown>>): LoggerCore {
    let fields: Readonly<Record<string, unknown>>
    if (typeof context === 'string') {
      fields = { correlation_id: context }
    } else if (typeof context === 'object' && context !== null) {
      fields = context
    } else {
      throw new TypeError(`bind() takes a correlation id string or an object of fields, got ${context === null ? 'null' : typeof context}`)
    }
    // The event name is the record's `event`: a bound one would be written twice.
    if (fields.event !== undefined) fields = without(fields, ['event'])
    if (this._shared.processors.length > 0) fields = boundThroughProcessors(this._shared, fields)
    const child = Object.create(this) as LoggerCore
    const parent = this._bindings
    const replaces = Object.keys(fields).some((key) => fields[key] !== undefined && parent[key] !== undefined)
    child._bindings = Object.freeze(replaces ? mergeDefined(parent, fields) : { ...parent, ...fields })
    // A binding that replaces one of the parent's would be written twice by pino's chained fragments: serialize them all once.
    child._pino = replaces ? rebound(this._pino, this._root, child._bindings) : childOf(this._pino, fields)
    if (fields.msg !== undefined) writeEventOnly(child._pino)
    child._clash = clashTestsOf(child._bindings)
    child._variants = undefined
    if (this._shared.processors.length > 0) child._meta = metaTable(child._bindings)
    adopt(child._pino, child)
    return child
  }

  bindings (): Readonly<Record<string, unknown>> {
    return this._bindings
  }

  withContext<T> (fields: Readonly<Record<string, unknown>>, fn: () => T): T {
    return withContext(fields, fn)
  }

  timed<T> (operation: string, fields: Readonly<Record<string, unknown>> | undefined, fn: (add: AddTimedFields) => T): T {
    return runTimed(this, this._shared.catalog, operation, fields, fn)
  }

  flush (): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        this._shared.flushProcessors()
        this._pino.flush((err) => { if (err) reject(err); else resolve() })
      } catch (err) {
        reject(err as Error)
      }
    })
  }

  stats (): TransportStats[] {
    return this._shared.transportStats()
  }

  onDeliveryFailure (listener: (failure: DeliveryFailure) => void): () => void {
    return this._shared.onDeliveryFailure(listener)
  }

  close (): Promise<void> {
    return this._shared.close(() => this.flush())
  }

  get level (): string {
    return this._pino.level
  }

  set level (level: string) {
    this._pino.level = level
  }

  isLevelEnabled (level: string): boolean {
    return this._pino.isLevelEnabled(level)
  }

  get pino (): PinoLogger {
    return this._pino
  }
}

export function metaTable (bindings: Readonly<Record<string, unknown>>): MetaTable {
  const table = {} as Record<LevelName, RecordMeta>
  for (const level of levelNames) table[level] = Object.freeze({ level, levelValue: levelValues[level], bindings })
  return Object.freeze(table)
}

function adopt (pinoLogger: PinoLogger, owner: LoggerCore): void {
  Object.defineProperty(pinoLogger, ownerSym, { value: owner, enumerable: false })
}

function ownerOf (pinoLogger: PinoLogger): LoggerCore | undefined {
  return Object.hasOwn(pinoLogger, ownerSym) ? (pinoLogger as unknown as Record<symbol, LoggerCore>)[ownerSym] : undefined
}

/**
 * The fields a `bind()` binds after the processors' `fields` hooks (masking
 * hides secrets here, once per bind). A hook that throws is reported, and the
 * fields are replaced by a marker: bound context that could not be masked is never written.
 */
function boundThroughProcessors (shared: SharedState, fields: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let bound = fields
  for (const [index, processor] of shared.processors.entries()) {
    if (processor.fields === undefined) continue
    try {
      bound = processor.fields(bound)
    } catch (error) {
      shared.onProcessorFailure(processor, index, error)
      return { daslog_error: 'bound context dropped: a processor failed on it' }
    }
  }
  return bound
}

/** `parent` with `fields` over it, a field set to undefined keeping the parent's value (as pino writes it). */
function mergeDefined (parent: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...parent }
  for (const key of Object.keys(fields)) if (fields[key] !== undefined || !(key in merged)) merged[key] = fields[key]
  return merged
}
