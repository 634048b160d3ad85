// A local OTLP/HTTP logs receiver for the tests: it decodes protobuf with its own schema, written here from
// opentelemetry-proto's .proto files (official names and field numbers, not the transport's descriptor), and reads OTLP/JSON.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import protobuf from 'protobufjs'

const otlpProto = `
syntax = "proto3";
package otlp;
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
enum SeverityNumber {
  SEVERITY_NUMBER_UNSPECIFIED = 0; SEVERITY_NUMBER_TRACE = 1; SEVERITY_NUMBER_DEBUG = 5; SEVERITY_NUMBER_INFO = 9;
  SEVERITY_NUMBER_WARN = 13; SEVERITY_NUMBER_ERROR = 17; SEVERITY_NUMBER_FATAL = 21;
}
message LogRecord {
  reserved 4;
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  SeverityNumber severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Status { int32 code = 1; string message = 2; }
`
const root = protobuf.parse(otlpProto, { keepCase: true }).root
const requestType = root.lookupType('otlp.ExportLogsServiceRequest')
const responseType = root.lookupType('otlp.ExportLogsServiceResponse')
const statusType = root.lookupType('otlp.Status')

/** An AnyValue as the tests compare it: snake_case keys, int64 as decimal strings. */
export type Value = Record<string, unknown>

/** One LogRecord as received, the same shape from either protocol: snake_case names, 64-bit numbers as decimal strings, ids as hex. */
export interface ReceivedLog {
  time_unix_nano: string
  observed_time_unix_nano: string
  severity_number: number
  severity_text: string
  event_name: string
  body: Value
  /** The attributes by key, but for `log.record.uid`. */
  attributes: Record<string, Value>
  /** The record's `log.record.uid` attribute (its daslog event_id), apart: most tests compare the record's own attributes. */
  uid?: string
  flags?: number
  trace_id?: string
  span_id?: string
}

export interface OtlpRequest {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly raw: Buffer
  readonly resource: Record<string, Value>
  readonly scope: Record<string, unknown>
  readonly logs: ReceivedLog[]
  readonly at: number
}

export interface OtlpAnswer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: Buffer | string
}

export interface OtlpReceiver {
  readonly url: string
  readonly requests: OtlpRequest[]
  /** Every record that arrived in a request answered 2xx, in order. */
  readonly logs: ReceivedLog[]
  waitFor (requests: number): Promise<void>
  close (): Promise<void>
}

const camel = /[A-Z]/g

/** OTLP/JSON's lowerCamelCase names as the proto's snake_case ones, recursively (attribute keys are values, not names: untouched). */
function snakeCased (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCased)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.replace(camel, (c) => `_${c.toLowerCase()}`), snakeCased(field)]))
}

function attributesOf (list: unknown): Record<string, Value> {
  const out: Record<string, Value> = {}
  for (const { key, value } of (list ?? []) as Array<{ key: string, value: Value }>) out[key] = value ?? {}
  return out
}

/** A protobuf-decoded message as plain data: int64/fixed64 as decimal strings, bytes as hex. */
function fromProtobuf (body: Buffer): Record<string, unknown> {
  const decoded = requestType.toObject(requestType.decode(body), { longs: String, enums: Number, oneofs: false })
  return JSON.parse(JSON.stringify(decoded, (_key, value: unknown) => value instanceof Uint8Array || (typeof value === 'object' && value !== null && (value as { type?: string }).type === 'Buffer') ? Buffer.from(value instanceof Uint8Array ? value : (value as { data: number[] }).data).toString('hex') : value)) as Record<string, unknown>
}

function parseRequest (headers: IncomingHttpHeaders, raw: Buffer): { resource: Record<string, Value>, scope: Record<string, unknown>, logs: ReceivedLog[] } {
  const json = String(headers['content-type']).startsWith('application/json')
  const message = (json ? snakeCased(JSON.parse(raw.toString('utf8'))) : fromProtobuf(raw)) as {
    resource_logs: Array<{ resource?: { attributes?: unknown }, scope_logs: Array<{ scope?: Record<string, unknown>, log_records: Array<Record<string, unknown>> }> }>
  }
  const [resourceLogs] = message.resource_logs
  const [scopeLogs] = resourceLogs!.scope_logs
  const logs = scopeLogs!.log_records.map((record) => {
    const { 'log.record.uid': uid, ...attributes } = attributesOf(record.attributes)
    return { ...record, attributes, ...(uid === undefined ? {} : { uid: (uid as { string_value?: string }).string_value }) } as unknown as ReceivedLog
  })
  return { resource: attributesOf(resourceLogs!.resource?.attributes), scope: scopeLogs!.scope ?? {}, logs }
}

/** An ExportLogsServiceResponse with a partial success, in the protocol of the request. */
export function partialSuccessAnswer (json: boolean, rejected: number, errorMessage: string): OtlpAnswer {
  if (json) return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partialSuccess: { rejectedLogRecords: String(rejected), errorMessage } }) }
  const body = Buffer.from(responseType.encode({ partial_success: { rejected_log_records: rejected, error_message: errorMessage } }).finish())
  return { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body }
}

/** A google.rpc.Status error answer in protobuf. */
export function statusAnswer (status: number, message: string): OtlpAnswer {
  return { status, headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(statusType.encode({ code: 3, message }).finish()) }
}

/** Listens on 127.0.0.1 (a free port); answers 200 with an empty ExportLogsServiceResponse unless `answers` says otherwise. */
export async function startOtlpReceiver (answers?: (request: OtlpRequest, n: number) => OtlpAnswer | undefined): Promise<OtlpReceiver> {
  const requests: OtlpRequest[] = []
  const logs: ReceivedLog[] = []
  let waiters: Array<{ count: number, resolve: () => void }> = []
  const server = createServer((incoming, response: ServerResponse) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks)
      const request: OtlpRequest = { path: incoming.url ?? '', headers: incoming.headers, raw, at: Date.now(), ...parseRequest(incoming.headers, raw) }
      const n = requests.push(request) - 1
      const answer = answers?.(request, n) ?? { status: 200, headers: { 'content-type': String(incoming.headers['content-type']) }, body: Buffer.alloc(0) }
      if (answer.status >= 200 && answer.status < 300) logs.push(...request.logs)
      response.writeHead(answer.status, answer.headers)
      response.end(answer.body)
      waiters = waiters.filter((waiter) => {
        if (requests.length < waiter.count) return true
        waiter.resolve()
        return false
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1/logs`,
    requests,
    logs,
    waitFor: (count) => requests.length >= count ? Promise.resolve() : new Promise((resolve) => { waiters.push({ count, resolve }) }),
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => { resolve() })
    })
  }
}
