import type { LogRecord } from '../shared/runtime.js'
import type { KeyValue } from './any-value.js'
import { toOtlpLogRecord, type OtlpLogRecord } from './log-record.js'
import { exportRequest, exportResponse, rpcStatus } from './proto.js'

export type OtlpProtocol = 'http/protobuf' | 'http/json'

/** What a collector's 2xx answer said about records it did not take (OTLP partial success). */
export interface PartialSuccess {
  readonly rejected: number
  readonly errorMessage: string
}

/** One protocol's request bodies and answers. */
export interface OtlpEncoding {
  readonly contentType: string
  /** An ExportLogsServiceRequest with one resource and one scope holding `records`. */
  encode (resource: readonly KeyValue[], records: readonly LogRecord[]): Buffer
  /** The partial success of a 2xx answer's body; undefined when it has none (empty or full success). */
  partialSuccess (body: Buffer): PartialSuccess | undefined
  /** The message of an error answer's body (a google.rpc.Status), when it has one. */
  errorMessage (body: Buffer): string | undefined
}

/** The instrumentation scope of every record: daslog. */
const scope = { name: 'daslog' }

function request (resource: readonly KeyValue[], logRecords: readonly unknown[]): unknown {
  return { resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope, logRecords }] }] }
}

function otlpRecords (records: readonly LogRecord[]): OtlpLogRecord[] {
  const observed = BigInt(Date.now()) * 1_000_000n
  return records.map((record) => toOtlpLogRecord(record, observed))
}

/** protobufjs writes a fixed64 from `{ low, high }` (32 bits each), exactly. */
function longBits (value: bigint): { low: number, high: number } {
  return { low: Number(value & 0xffff_ffffn) | 0, high: Number((value >> 32n) & 0xffff_ffffn) | 0 }
}

function partialOf (partial: { rejectedLogRecords?: unknown, errorMessage?: unknown } | null | undefined): PartialSuccess | undefined {
  if (partial === undefined || partial === null) return undefined
  const rejected = Number(partial.rejectedLogRecords ?? 0)
  const errorMessage = typeof partial.errorMessage === 'string' ? partial.errorMessage : ''
  if (!(rejected > 0) && errorMessage === '') return undefined
  return { rejected: rejected > 0 ? rejected : 0, errorMessage }
}

/** Binary protobuf (`application/x-protobuf`): times as fixed64, ids as raw bytes. */
export const protobufEncoding: OtlpEncoding = {
  contentType: 'application/x-protobuf',
  encode (resource, records) {
    const logRecords = otlpRecords(records).map(({ timeUnixNano, observedTimeUnixNano, traceId, spanId, ...rest }) => ({
      ...rest,
      timeUnixNano: longBits(timeUnixNano),
      observedTimeUnixNano: longBits(observedTimeUnixNano),
      ...(traceId === undefined ? {} : { traceId: Buffer.from(traceId, 'hex') }),
      ...(spanId === undefined ? {} : { spanId: Buffer.from(spanId, 'hex') })
    }))
    const bytes = exportRequest.encode(request(resource, logRecords) as Record<string, unknown>).finish()
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  },
  partialSuccess (body) {
    if (body.length === 0) return undefined
    const answer = exportResponse.toObject(exportResponse.decode(body), { longs: String }) as { partialSuccess?: { rejectedLogRecords?: string, errorMessage?: string } }
    return partialOf(answer.partialSuccess)
  },
  errorMessage (body) {
    if (body.length === 0) return undefined
    try {
      const status = rpcStatus.toObject(rpcStatus.decode(body)) as { message?: string }
      return status.message === undefined || status.message === '' ? undefined : status.message
    } catch {
      return undefined
    }
  }
}

/**
 * OTLP/JSON (`application/json`): protobuf's JSON mapping with the OTLP
 * exceptions: times and `intValue` as decimal strings, trace and span ids
 * as hex (not base64), enums as numbers.
 */
export const jsonEncoding: OtlpEncoding = {
  contentType: 'application/json',
  encode (resource, records) {
    return Buffer.from(JSON.stringify(request(resource, otlpRecords(records)), jsonValue))
  },
  partialSuccess (body) {
    const text = body.toString('utf8').trim()
    if (text === '') return undefined
    const answer = JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: unknown, errorMessage?: unknown } } | null
    return partialOf(answer?.partialSuccess)
  },
  errorMessage (body) {
    try {
      const status = JSON.parse(body.toString('utf8')) as { message?: unknown } | null
      return typeof status?.message === 'string' && status.message !== '' ? status.message : undefined
    } catch {
      return undefined
    }
  }
}

/** BigInt times and int64 `intValue`s as decimal strings (a JSON number would lose digits past 2^53). */
function jsonValue (key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (key === 'intValue') return String(value)
  return value
}

export const encodings: Readonly<Record<OtlpProtocol, OtlpEncoding>> = {
  'http/protobuf': protobufEncoding,
  'http/json': jsonEncoding
}
