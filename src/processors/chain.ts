import type { EventRecord, Processor, RecordMeta } from './types.js'

/** Called once per processor that throws: the record was dropped, never written half-processed. */
export type ProcessorFailure = (processor: Processor, index: number, error: unknown) => void

/** Told which processor dropped a record (returned null), for the metrics' drop reasons. */
export type ProcessorDrop = (processor: Processor) => void

/** Runs the chain in order from `from`; `null` from any processor (or a throw) drops the record. Deliberately plain. */
export function runProcessors (
  processors: readonly Processor[],
  record: EventRecord,
  meta: RecordMeta,
  onFailure: ProcessorFailure,
  from = 0,
  onDrop?: ProcessorDrop
): EventRecord | null {
  let current: EventRecord | null = record
  for (let i = from; i < processors.length; i++) {
    const processor = processors[i]!
    try {
      current = processor(current, meta)
    } catch (error) {
      onFailure(processor, i, error)
      return null
    }
    if (current === null || current === undefined) {
      onDrop?.(processor)
      return null
    }
  }
  return current
}
