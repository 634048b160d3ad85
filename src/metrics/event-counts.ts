import type { Catalog } from '../catalog/types.js'
import { levelNames, type LevelName } from '../levels.js'

/** Why a record was not written: `events_dropped_total{reason}`. */
export type DropReason = 'sampled' | 'rate_limited' | 'processor_failure' | 'filtered'

export const dropReasons: readonly DropReason[] = ['sampled', 'rate_limited', 'processor_failure', 'filtered']

/** The label of every event name outside the catalog, so label sets stay bounded. */
export const otherEvent = 'other'

const levelIndexes: Readonly<Record<LevelName, number>> = Object.fromEntries(levelNames.map((name, index) => [name, index])) as Record<LevelName, number>

/** The position of a level in the counts: looked up once, when a level's writer is made, not per record. */
export function levelIndex (level: LevelName): number {
  return levelIndexes[level]
}

/**
 * The records one logger wrote and dropped, counted in plain arrays on the
 * hot path (an increment); prom-client only sees the totals, at scrape time.
 * Event names are the catalog's; any other name is counted under `other`.
 */
export class EventCounts {
  private readonly byEvent = new Map<string, Float64Array>()
  private readonly other = new Float64Array(levelNames.length)
  /**
   * The last event counted and its counts: a service logs the same event
   * many times in a row (a request's records, a loop's), and the same
   * string comes back from the same call site, so one comparison replaces
   * the Map lookup (undefined, not a string, is counted under `other`).
   */
  private lastEvent: unknown = undefined
  private lastCounts: Float64Array = this.other
  readonly drops: Record<DropReason, number> = { sampled: 0, rate_limited: 0, processor_failure: 0, filtered: 0 }

  constructor (catalog: Catalog) {
    for (const name of Object.keys(catalog.events)) this.byEvent.set(name, new Float64Array(levelNames.length))
  }

  /** Counts one record of the level at `level` (see `levelIndex`). */
  written (level: number, event: unknown): void {
    let counts = this.lastCounts
    if (event !== this.lastEvent) {
      counts = (typeof event === 'string' ? this.byEvent.get(event) : undefined) ?? this.other
      this.lastEvent = event
      this.lastCounts = counts
    }
    counts[level]!++
  }

  dropped (reason: DropReason): void {
    this.drops[reason]++
  }

  /** Every (event, level) written at least once, with its count. */
  * totals (): Generator<{ event: string, level: LevelName, count: number }> {
    for (const [event, counts] of [...this.byEvent, [otherEvent, this.other] as const]) {
      for (let i = 0; i < counts.length; i++) {
        if (counts[i]! > 0) yield { event, level: levelNames[i]!, count: counts[i]! }
      }
    }
  }
}

/**
 * Where a logger's writers look for counts: empty until `registerMetrics`
 * fills it, so with metrics off a write costs one property read.
 */
export interface EventTap {
  counts: EventCounts | undefined
}
