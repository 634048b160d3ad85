import { ConfigError } from '../../src/errors.js'
import { integerOption, optionObject, stringListOption } from '../../src/config/option-checks.js'
import type { LogRecord } from './runtime.js'

/** `throttle: { windowMs, key? }` of the alerting transports (email, sms). */
export interface ThrottleOptions {
  readonly windowMs: number
  /** Fields whose values, with the event, make a throttle key; default: the event and the level. */
  readonly key: readonly string[] | undefined
}

export function throttleOption (value: unknown): ThrottleOptions | undefined {
  if (value === undefined || value === false) return undefined
  const throttle = optionObject('throttle', value, ['windowMs', 'key'])
  if (throttle.windowMs === undefined) throw new ConfigError('throttle.windowMs', 'the window length in ms is required')
  return {
    windowMs: integerOption('throttle.windowMs', throttle.windowMs, 1, 24 * 3_600_000),
    key: throttle.key === undefined ? undefined : stringListOption('throttle.key', throttle.key, true)
  }
}

/** What makes two alerts "the same": the event and the level, or the event and the `key` fields. */
export function throttleKey (options: ThrottleOptions): (record: LogRecord) => string {
  const fields = options.key ?? ['level']
  return (record) => JSON.stringify([record.event, ...fields.map((field) => readPath(record, field))])
}

function readPath (record: LogRecord, path: string): unknown {
  let value: unknown = record
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value ?? null
}

/** A window's held records, delivered together as one digest (or summary) when the window ends. */
export interface Digest {
  readonly key: string
  readonly records: readonly LogRecord[]
}

/**
 * Alert-storm control: the first alert of a key goes at once and opens a
 * window of `windowMs`; the same alerts inside it are held, and when it ends
 * they are handed on (`due`) as one digest. Nothing is dropped: every held
 * record is in its digest.
 */
export class Throttle {
  private readonly windows = new Map<string, { held: LogRecord[], timer: NodeJS.Timeout }>()
  private heldCount = 0

  constructor (
    private readonly windowMs: number,
    private readonly keyOf: (record: LogRecord) => string,
    private readonly due: (digest: Digest) => void
  ) {}

  /** True when the record goes now; false when it is held for its window's digest. */
  admit (record: LogRecord): boolean {
    const key = this.keyOf(record)
    const window = this.windows.get(key)
    if (window !== undefined) {
      window.held.push(record)
      this.heldCount++
      return false
    }
    // Unref'd: a long window never keeps a process alive; drain and close end the windows first.
    const timer = setTimeout(() => { this.end(key) }, this.windowMs).unref()
    this.windows.set(key, { held: [], timer })
    return true
  }

  /** Records held for digests. */
  get held (): number {
    return this.heldCount
  }

  /** Ends every window now (drain, close): their digests are due at once. */
  flush (): void {
    for (const key of [...this.windows.keys()]) this.end(key)
  }

  private end (key: string): void {
    const window = this.windows.get(key)
    if (window === undefined) return
    clearTimeout(window.timer)
    this.windows.delete(key)
    if (window.held.length === 0) return
    this.heldCount -= window.held.length
    this.due({ key, records: window.held })
  }
}
