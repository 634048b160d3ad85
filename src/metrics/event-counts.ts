import type { Catalog } from '../catalog/types.js'
import { levelNames, type LevelName } from '../levels.js'

/** Why a record was not written: `events_dropped_total{reason}`. */
export type DropReason = 'sampled' | 'rate_limited' | 'processor_failure' | 'filtered'

export const dropReasons: readonly DropReason[] = ['sampled', 'rate_limited', 'processor_failure', 'filtered']

/** The label of every event name outside the catalog, so label sets stay bounded. */
export const otherEvent = 'other'

const levelIndex: Readonly<Record<LevelName, number>> = Object.fromEntries(levelNames.map((name, index) => [name, index])) as Record<LevelName, number>

/**
 * The records one logger wrote and dropped, counted in plain arrays on the
 * hot path (a Map lookup and an increment); prom-client only sees the
 * totals, at scrape time. Event names are the catalog's; any other name is
 * counted under `other`.
 */
export class EventCounts {
  private readonly byEvent = new Map<string, Float64Array>()
  private readonly other = new Float64Array(levelNames.length)
  readonly drops: Record<DropReason, number> = { sampled: 0, rate_limited: 0, processor_failure: 0, filtered: 0 }

  constructor (catalog: Catalog) {
    for (const name of Object.keys(catalog.events)) this.byEvent.set(name, new Float64Array(levelNames.length))
  }

  written (level: LevelName, event: unknown): void {
    ;((typeof event === 'string' ? this.byEvent.get(event) : undefined) ?? this.other)[levelIndex[level]]!++
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
