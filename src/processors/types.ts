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

/** Writes a record a processor made on its own (a batch, a summary): through the processors after it, then to the destination. */
export type EmitRecord = (record: EventRecord, level: LevelName) => void

/**
 * Optional members a processor may carry, for what a per-record function
 * cannot do alone. All are called by the logger the processor belongs to.
 */
export interface ProcessorHooks {
  /**
   * The processor's work done on a plain object of fields, copy-on-write:
   * returns the object itself when nothing changes, else a changed copy; never
   * mutates it. Applied to the fields of every `bind()` (masking hides
   * secrets in bound context this way, once per bind). When every processor
   * of the chain (after a first one with `admit`) has it, calls skip the
   * record copy: the call's fields go through these and then straight to pino.
   */
  readonly fields?: (fields: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>
  /** Called once, when the logger is created, with the function that writes records of the processor's own. */
  readonly start?: (emit: EmitRecord) => void
  /** Emits whatever the processor holds, synchronously: on `flush()`, `close()` and at process exit. */
  readonly flush?: () => void
  /** Stops timers; called by `close()` after `flush`. Records arriving later pass through. */
  readonly close?: () => void
  /**
   * A decision made before the record is even copied, used when the processor is
   * first in the chain: the rate the record is kept at (1: always; between 0 and 1:
   * sampled, the record gets `sample_rate`), or 0 to drop it. `fields` is what the
   * caller passed, unchecked. sampling() has one, so a dropped call allocates nothing.
   */
  readonly admit?: (event: string, fields: unknown, meta: RecordMeta) => number
  /**
   * Why the processor dropped the record it last dropped, read right after:
   * the `reason` label of `events_dropped_total` (daslog/metrics). sampling()
   * says `sampled` or `rate_limited`; a processor without it counts as `filtered`.
   */
  readonly dropReason?: 'sampled' | 'rate_limited' | 'filtered'
}

/**
 * A processor takes the record and returns it (changed or not), or `null` to
 * drop it. The record is a fresh copy made once before the first processor,
 * so a processor may mutate it. A processor that throws drops the record.
 */
export type Processor = ((record: EventRecord, meta: RecordMeta) => EventRecord | null) & ProcessorHooks
