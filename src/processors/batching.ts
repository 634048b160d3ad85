import { ConfigError } from '../errors.js'
import { levelNameOf } from '../levels.js'
import { eventPatternsOption, optionObject, positiveIntegerOption } from '../config/option-checks.js'
import { cachedByEvent } from './bounded-cache.js'
import type { EmitRecord, EventRecord, Processor, RecordMeta } from './types.js'

export interface BatchingOptions {
  /** Patterns of the events held and batched (`item_processed`, `cache_*`). */
  readonly events: string | readonly string[]
  /** Records of one event per batch: a batch is emitted when it is full. Default 100, at most 10,000. */
  readonly size?: number
  /** The longest a record is held before its batch is emitted. Default 1000 ms. */
  readonly intervalMs?: number
}

/** The record a batch is emitted as. */
export const batchEvent = 'events_batch'

const optionNames = ['events', 'size', 'intervalMs'] as const

interface Batch {
  readonly items: Array<Record<string, unknown>>
  maxLevelValue: number
}

/**
 * Holds records of the matching events and writes them as one record per
 * event name, `{ event: 'events_batch', batched_event, event_count, events }`,
 * when `size` is reached, `intervalMs` after the oldest was held, and on
 * `flush()`, `close()` and process exit. Each held item keeps its bound
 * context and the time it was logged. The batch is written at the highest
 * level among its records.
 */
export function batching (options: BatchingOptions): Processor {
  const given = optionObject('batching', options, optionNames)
  if (given.events === undefined) throw new ConfigError('batching.events', 'required: the patterns of the events to batch, e.g. ["item_processed"]')
  const batched = cachedByEvent(eventPatternsOption('batching.events', given.events))
  const size = given.size === undefined ? 100 : positiveIntegerOption('batching.size', given.size)
  if (size > 10_000) throw new ConfigError('batching.size', `at most 10000 records per batch, got ${size}`)
  const intervalMs = given.intervalMs === undefined ? 1000 : positiveIntegerOption('batching.intervalMs', given.intervalMs)

  const batches = new Map<string, Batch>()
  let emit: EmitRecord | undefined
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function emitBatch (event: string, batch: Batch): void {
    batches.delete(event)
    emit!({ event: batchEvent, batched_event: event, event_count: batch.items.length, events: batch.items }, levelNameOf(batch.maxLevelValue))
  }

  function flush (): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    for (const [event, batch] of batches) emitBatch(event, batch)
  }

  const processor = function batch (record: EventRecord, meta: RecordMeta): EventRecord | null {
    if (closed || emit === undefined || !batched(record.event)) return record
    let held = batches.get(record.event)
    if (held === undefined) {
      held = { items: [], maxLevelValue: 0 }
      batches.set(record.event, held)
    }
    held.items.push(Object.assign({ event: record.event, time: Date.now() }, meta.bindings, record))
    if (meta.levelValue > held.maxLevelValue) held.maxLevelValue = meta.levelValue
    if (held.items.length >= size) {
      emitBatch(record.event, held)
    } else if (timer === undefined) {
      timer = setTimeout(flush, intervalMs)
      timer.unref()
    }
    return null
  }

  return Object.assign(processor, {
    start (emitRecord: EmitRecord): void {
      if (emit !== undefined) throw new ConfigError('processors', 'a batching() processor belongs to one logger; create one per logger')
      emit = emitRecord
    },
    flush,
    close (): void {
      closed = true
      flush()
    }
  })
}
