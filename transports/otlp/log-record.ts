import type { LogRecord } from '../shared/runtime.js'
import { anyValue, keyValues, stringValue, wellFormed, type AnyValue, type KeyValue } from './any-value.js'

/** One OTLP LogRecord before encoding: times as BigInt nanoseconds, trace ids as hex. */
export interface OtlpLogRecord {
  readonly timeUnixNano: bigint
  readonly observedTimeUnixNano: bigint
  readonly severityNumber: number
  readonly severityText: string
  readonly body: AnyValue
  readonly attributes: readonly KeyValue[]
  readonly eventName: string
  /** W3C trace flags (the low 8 bits); set with the ids. */
  readonly flags?: number
  readonly traceId?: string
  readonly spanId?: string
}

/** pino's levels and OpenTelemetry's SeverityNumber of each (TRACE, DEBUG, INFO, WARN, ERROR, FATAL). */
const severities = [
  { value: 10, name: 'trace', number: 1 },
  { value: 20, name: 'debug', number: 5 },
  { value: 30, name: 'info', number: 9 },
  { value: 40, name: 'warn', number: 13 },
  { value: 50, name: 'error', number: 17 },
  { value: 60, name: 'fatal', number: 21 }
] as const

/** The record's own fields that become LogRecord fields rather than attributes. */
const mappedKeys = new Set(['time', 'level', 'event', 'msg', 'err', 'trace_id', 'span_id', 'trace_flags', 'event_id'])
const nanosPerMs = 1_000_000n
/** A numeric `time` below this is in seconds (pino.stdTimeFunctions.unixTime); 10^11 ms is 1973, 10^11 s the year 5138. */
const secondsBelow = 1e11
const hex32 = /^[0-9a-f]{32}$/i
const hex16 = /^[0-9a-f]{16}$/i
const hex2 = /^[0-9a-f]{1,2}$/i

/**
 * A daslog record as an OTLP LogRecord: `time` as time_unix_nano (exact, in
 * BigInt), the level as severity (pino 10..60 to 1, 5, 9, 13, 17, 21),
 * `event` as event_name and as the body (a `msg` that says something else
 * is the body instead), `err` as the exception.* attributes,
 * `trace_id`/`span_id`/`trace_flags` as the trace context, `event_id` as
 * `log.record.uid`, and every other field as an attribute (nested objects as
 * kvlists, arrays as arrays).
 */
export function toOtlpLogRecord (record: LogRecord, observedTimeUnixNano: bigint): OtlpLogRecord {
  const attributes: KeyValue[] = []
  const event = typeof record.event === 'string' ? record.event : ''
  const time = timeUnixNano(record.time)
  if (time === undefined && record.time !== undefined) attributes.push({ key: 'time', value: anyValue(record.time) })
  const msg = record.msg
  if (msg !== undefined && typeof msg !== 'string') attributes.push({ key: 'msg', value: anyValue(msg) })
  if (record.event !== undefined && typeof record.event !== 'string') attributes.push({ key: 'event', value: anyValue(record.event) })
  if (typeof record.event_id === 'string') attributes.push({ key: 'log.record.uid', value: stringValue(record.event_id) })
  else if (record.event_id !== undefined) attributes.push({ key: 'event_id', value: anyValue(record.event_id) })
  if (record.err !== undefined) attributes.push(...exceptionAttributes(record.err))
  const trace = traceContext(record, attributes)
  for (const key in record) {
    if (!mappedKeys.has(key)) attributes.push({ key: wellFormed(key), value: anyValue(record[key], 1) })
  }
  const { number, text } = severity(record.level)
  return {
    timeUnixNano: time ?? 0n,
    observedTimeUnixNano,
    severityNumber: number,
    severityText: text,
    body: stringValue(typeof msg === 'string' && msg !== '' ? msg : event),
    attributes,
    eventName: wellFormed(event),
    ...trace
  }
}

/** A record's time in ns since the epoch: a number in ms (seconds below 10^11), or an ISO string; undefined when unreadable. */
function timeUnixNano (time: unknown): bigint | undefined {
  let ms: number
  if (typeof time === 'number') ms = time < secondsBelow ? time * 1000 : time
  else if (typeof time === 'string') ms = Date.parse(time)
  else return undefined
  if (!Number.isFinite(ms) || ms < 0) return undefined
  const whole = Math.trunc(ms)
  // Math.round(ms * 1e6) as a number would be inexact: ms since 1970 times 10^6 is past 2^53.
  return BigInt(whole) * nanosPerMs + BigInt(Math.round((ms - whole) * 1e6))
}

function severity (level: unknown): { number: number, text: string } {
  if (typeof level === 'number') {
    let band = severities[0] as (typeof severities)[number]
    for (const known of severities) if (level >= known.value) band = known
    return { number: band.number, text: band.value === level ? band.name : String(level) }
  }
  if (typeof level === 'string') return { number: severities.find((known) => known.name === level.toLowerCase())?.number ?? 0, text: wellFormed(level) }
  return { number: 0, text: '' }
}

/** pino's serialized error (`{ type, message, stack, ...}`) as OpenTelemetry's exception attributes; what else it holds stays under `err`. */
function exceptionAttributes (err: unknown): KeyValue[] {
  if (typeof err !== 'object' || err === null || Array.isArray(err)) return [{ key: 'exception.message', value: anyValue(err) }]
  const { type, message, stack, ...rest } = err as Record<string, unknown>
  const attributes: KeyValue[] = []
  if (type !== undefined) attributes.push({ key: 'exception.type', value: anyValue(type) })
  if (message !== undefined) attributes.push({ key: 'exception.message', value: anyValue(message) })
  if (stack !== undefined) attributes.push({ key: 'exception.stacktrace', value: anyValue(stack) })
  if (Object.keys(rest).length > 0) attributes.push({ key: 'err', value: { kvlistValue: { values: keyValues(rest, 1) } } })
  return attributes
}

/**
 * `trace_id`, `span_id` and `trace_flags` (as traceContext writes them:
 * 32 and 16 hex digits, flags as 2 hex digits or a number) as the
 * LogRecord's trace context; values of another shape stay attributes.
 */
function traceContext (record: LogRecord, attributes: KeyValue[]): Pick<OtlpLogRecord, 'traceId' | 'spanId' | 'flags'> {
  const { trace_id: traceId, span_id: spanId, trace_flags: flags } = record
  const context: { traceId?: string, spanId?: string, flags?: number } = {}
  if (typeof traceId === 'string' && hex32.test(traceId)) context.traceId = traceId.toLowerCase()
  else if (traceId !== undefined) attributes.push({ key: 'trace_id', value: anyValue(traceId) })
  if (typeof spanId === 'string' && hex16.test(spanId)) context.spanId = spanId.toLowerCase()
  else if (spanId !== undefined) attributes.push({ key: 'span_id', value: anyValue(spanId) })
  if (typeof flags === 'number' && Number.isInteger(flags) && flags >= 0 && flags <= 255) context.flags = flags
  else if (typeof flags === 'string' && hex2.test(flags)) context.flags = parseInt(flags, 16)
  else if (flags !== undefined) attributes.push({ key: 'trace_flags', value: anyValue(flags) })
  return context
}
