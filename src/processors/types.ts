import type { LevelName } from '../levels.js'

/** What a processor receives and returns: the event name and the call-site (and implicit context) fields. */
export interface EventRecord {
  event: string
  [field: string]: unknown
}

/** Facts about the record a processor may read but not change. */
export interface RecordMeta {
  readonly level: LevelName
  readonly levelValue: number
  /** The logger's bound context (`bind(...)`), already written by pino as a serialized prefix. */
  readonly bindings: Readonly<Record<string, unknown>>
}

/**
 * A processor takes the record and returns it (changed or not), or `null` to
 * drop it. The record is a fresh copy made once before the first processor,
 * so a processor may mutate it. A processor that throws drops the record.
 */
export type Processor = (record: EventRecord, meta: RecordMeta) => EventRecord | null
