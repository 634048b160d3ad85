// The otlp transport in-process against a local OTLP/HTTP receiver on 127.0.0.1 that decodes protobuf with
// opentelemetry-proto's own field numbers and reads OTLP/JSON: every LogRecord field, both protocols, the resource,
// the environment, retries, dead letters and partial success.
import { join } from 'node:path'
import t from 'tap'
import otlpTransport from '../../transports/otlp.js'
import { TransportConfigError } from '../../src/errors.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd, endTransport, readDeadLetters, statsOf, uuidV7 } from './helpers.js'
import { partialSuccessAnswer, startOtlpReceiver, statusAnswer, type OtlpAnswer, type OtlpReceiver, type OtlpRequest } from './otlp-receiver.js'

const protocols = ['http/protobuf', 'http/json'] as const
const fastRetry = { attempts: 3, minDelayMs: 10, maxDelayMs: 40 }
const traceId = '0af7651916cd43dd8448eb211c80319c'
const spanId = 'b7ad6b7169203331'

/** A record as daslog's logger writes it (with the `msg` for viewers), every kind of field in it. */
const fullRecord = {
  level: 50,
  time: 1_700_000_000_123,
  pid: 4242,
  hostname: 'web-1',
  correlation_id: 'c-1',
  trace_id: traceId,
  span_id: spanId,
  trace_flags: '01',
  err: { type: 'TypeError', message: 'card declined', stack: 'TypeError: card declined\n    at pay (app.js:1:1)', code: 'E_CARD' },
  event: 'payment_process_failed',
  msg: 'payment_process_failed',
  order_id: 'o-1',
  attempt: 3,
  big: 2 ** 53 + 2,
  amount: 12.5,
  retried: false,
  tags: ['a', 1, true, null],
  customer: { id: 'u1', address: { country: 'NL' } },
  note: null
}

/** What the receiver must read from `fullRecord`, from either protocol. */
const fullLog = {
  time_unix_nano: '1700000000123000000',
  severity_number: 17,
  severity_text: 'error',
  event_name: 'payment_process_failed',
  body: { string_value: 'payment_process_failed' },
  trace_id: traceId,
  span_id: spanId,
  flags: 1,
  attributes: {
    'exception.type': { string_value: 'TypeError' },
    'exception.message': { string_value: 'card declined' },
    'exception.stacktrace': { string_value: 'TypeError: card declined\n    at pay (app.js:1:1)' },
    err: { kvlist_value: { values: [{ key: 'code', value: { string_value: 'E_CARD' } }] } },
    pid: { int_value: '4242' },
    hostname: { string_value: 'web-1' },
    correlation_id: { string_value: 'c-1' },
    order_id: { string_value: 'o-1' },
    attempt: { int_value: '3' },
    big: { double_value: 2 ** 53 + 2 },
    amount: { double_value: 12.5 },
    retried: { bool_value: false },
    tags: { array_value: { values: [{ string_value: 'a' }, { int_value: '1' }, { bool_value: true }, {}] } },
    customer: {
      kvlist_value: {
        values: [
          { key: 'id', value: { string_value: 'u1' } },
          { key: 'address', value: { kvlist_value: { values: [{ key: 'country', value: { string_value: 'NL' } }] } } }
        ]
      }
    },
    note: {}
  }
}

async function setUp (t: { teardown: (fn: () => Promise<void>) => void }, options: Record<string, unknown> = {}, answers?: (request: OtlpRequest, n: number) => OtlpAnswer | undefined): Promise<{ receiver: OtlpReceiver, stream: Awaited<ReturnType<typeof otlpTransport>>, deadLetter: string }> {
  const receiver = await startOtlpReceiver(answers)
  t.teardown(() => receiver.close())
  const deadLetter = join(tempDir('otlp'), 'dead.ndjson')
  const stream = await otlpTransport({ url: receiver.url, deadLetter, retry: fastRetry, ...options })
  return { receiver, stream, deadLetter }
}

function write (stream: NodeJS.WritableStream, records: ReadonlyArray<Record<string, unknown>>): void {
  stream.write(records.map((record) => JSON.stringify(record) + '\n').join(''))
}

/** Runs `fn` with environment variables set, restoring them after. */
async function withEnv<T> (vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

for (const protocol of protocols) {
  t.test(`${protocol}: every LogRecord field, the resource and the scope`, async (t) => {
    const { receiver, stream } = await setUp(t, { protocol, headers: { 'X-Api-Key': 'k1' }, resource: { 'service.name': 'checkout', 'service.version': '1.2.3', replicas: 3, canary: true } })
    const before = BigInt(Date.now()) * 1_000_000n
    write(stream, [fullRecord])
    await drainAndEnd(stream)
    const after = BigInt(Date.now()) * 1_000_000n
    t.equal(receiver.requests.length, 1)
    const [request] = receiver.requests
    t.equal(request!.path, '/v1/logs')
    t.match(request!.headers, { 'content-type': protocol === 'http/json' ? 'application/json' : 'application/x-protobuf', 'x-api-key': 'k1' })
    t.same(request!.resource, {
      'service.name': { string_value: 'checkout' },
      'service.version': { string_value: '1.2.3' },
      replicas: { int_value: '3' },
      canary: { bool_value: true }
    })
    t.same(request!.scope, { name: 'daslog' })
    const [log] = request!.logs
    const { observed_time_unix_nano: observed, uid, ...rest } = log!
    t.same(rest, fullLog)
    t.match(uid, uuidV7, 'the event id as log.record.uid')
    t.ok(BigInt(observed) >= before && BigInt(observed) <= after, 'observed when sent')
    t.same(statsOf(stream), { transport: 'otlp', name: `otlp ${receiver.url}`, accepted: 1, delivered: 1, retried: 0, deadLettered: 0, dropped: 0, queued: 0 })
  })

  t.test(`${protocol}: severities, exact nanosecond times, the body, records without trace context`, async (t) => {
    const { receiver, stream } = await setUp(t, { protocol })
    const levels = [10, 20, 30, 40, 50, 60, 35]
    write(stream, levels.map((level, i) => ({ level, time: 1_732_300_000_000 + i * 7, event: `e${i}`, msg: `e${i}` })))
    write(stream, [
      { level: 'warn', time: '2024-11-22T18:26:40.123Z', event: 'iso_time_seen' },
      { level: 30, time: 1_732_300_000, event: 'unix_seconds_seen' },
      { level: 30, event: 'with_a_message', msg: 'something else happened' },
      { level: 30, time: 1_732_300_000_000.5, event: 'fractional_ms_seen' }
    ])
    await drainAndEnd(stream)
    const logs = receiver.logs
    t.same(logs.slice(0, 7).map((log) => [log.severity_number, log.severity_text]), [[1, 'trace'], [5, 'debug'], [9, 'info'], [13, 'warn'], [17, 'error'], [21, 'fatal'], [9, '35']])
    for (let i = 0; i < 7; i++) {
      // BigInt arithmetic, as a collector reads the fixed64: (ms * 1e6) in doubles is inexact this far from 1970.
      t.equal(logs[i]!.time_unix_nano, String(BigInt(1_732_300_000_000 + i * 7) * 1_000_000n), `record ${i}'s time is exact`)
      t.same([logs[i]!.event_name, logs[i]!.body], [`e${i}`, { string_value: `e${i}` }])
      t.notOk('trace_id' in logs[i]! && logs[i]!.trace_id !== '', 'no trace id')
      t.same(logs[i]!.attributes, {}, 'no other fields, no msg repeating the event')
    }
    t.same([logs[7]!.severity_number, logs[7]!.severity_text, logs[7]!.time_unix_nano], [13, 'warn', '1732300000123000000'])
    t.equal(logs[8]!.time_unix_nano, '1732300000000000000', 'seconds (pino.stdTimeFunctions.unixTime)')
    // proto3 leaves a zero out; OTLP/JSON writes "0".
    t.same([logs[9]!.time_unix_nano ?? '0', logs[9]!.event_name, logs[9]!.body], ['0', 'with_a_message', { string_value: 'something else happened' }], 'no time: 0 (unknown); a msg of its own is the body')
    t.equal(logs[10]!.time_unix_nano, '1732300000000500000')
  })

  t.test(`${protocol}: partial success: the rejected records are dead-lettered, the rest delivered`, async (t) => {
    const json = protocol === 'http/json'
    const { stream, deadLetter } = await setUp(t, { protocol, batch: { size: 5, intervalMs: 0 } }, (_request, n) => n === 0 ? partialSuccessAnswer(json, 2, 'attribute value too long') : undefined)
    write(stream, [0, 1, 2, 3, 4].map((i) => ({ level: 30, time: 1, event: 'e', i })))
    await drainAndEnd(stream)
    t.match(statsOf(stream), { accepted: 5, delivered: 3, deadLettered: 2, retried: 0, queued: 0 })
    const dead = readDeadLetters(deadLetter)
    t.equal(dead.length, 2)
    t.match(dead[0], { transport: 'otlp', attempts: 1, error: /rejected 2 of 5 records \(OTLP partial success\): attribute value too long; OTLP does not say which/ })
  })
}

t.test('http/json: times and int values are decimal strings, ids hex (not base64), severity a number', async (t) => {
  const { receiver, stream } = await setUp(t, { protocol: 'http/json' })
  write(stream, [{ ...fullRecord, count: 9_007_199_254_740_991 }])
  await drainAndEnd(stream)
  const raw = JSON.parse(receiver.requests[0]!.raw.toString('utf8')) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<Record<string, unknown> & { attributes: Array<{ key: string, value: unknown }> }> }> }> }
  const record = raw.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!
  t.equal(record.timeUnixNano, '1700000000123000000')
  t.type(record.observedTimeUnixNano, 'string')
  t.equal(record.traceId, traceId)
  t.equal(record.spanId, spanId)
  t.equal(record.severityNumber, 17)
  t.equal(record.eventName, 'payment_process_failed')
  t.same(record.attributes.find((a) => a.key === 'count')!.value, { intValue: '9007199254740991' })
})

t.test('the resource and endpoint from the environment; options win over it', async (t) => {
  const receiver = await startOtlpReceiver()
  t.teardown(() => receiver.close())
  const dir = tempDir('otlp')
  const base = receiver.url.replace(/\/v1\/logs$/, '')
  await withEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: base + '/',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0ken,x-tenant=acme',
    OTEL_SERVICE_NAME: 'billing',
    OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,deployment.environment.name=prod,team=pay%2Cments'
  }, async () => {
    const fromEnv = await otlpTransport({ deadLetter: join(dir, 'a.ndjson') })
    write(fromEnv, [{ level: 30, time: 1, event: 'from_env_sent' }])
    await drainAndEnd(fromEnv)
    const overridden = await otlpTransport({ deadLetter: join(dir, 'b.ndjson'), url: receiver.url + '?v=2', protocol: 'http/protobuf', headers: { 'x-tenant': 'beta' }, resource: { 'service.name': 'override', team: 'core' } })
    write(overridden, [{ level: 30, time: 1, event: 'from_options_sent' }])
    await drainAndEnd(overridden)
  })
  t.equal(receiver.requests.length, 2)
  const [fromEnv, fromOptions] = receiver.requests
  t.equal(fromEnv!.path, '/v1/logs', 'OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs')
  t.match(fromEnv!.headers, { 'content-type': 'application/json', authorization: 'Bearer t0ken', 'x-tenant': 'acme' })
  t.same(fromEnv!.resource, {
    'service.name': { string_value: 'billing' },
    'deployment.environment.name': { string_value: 'prod' },
    team: { string_value: 'pay,ments' }
  }, 'OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES; values percent-decoded')
  t.equal(fromOptions!.path, '/v1/logs?v=2')
  t.match(fromOptions!.headers, { 'content-type': 'application/x-protobuf', authorization: 'Bearer t0ken', 'x-tenant': 'beta' })
  t.same(fromOptions!.resource, {
    'service.name': { string_value: 'override' },
    'deployment.environment.name': { string_value: 'prod' },
    team: { string_value: 'core' }
  })
  t.same(fromOptions!.logs.map((log) => log.event_name), ['from_options_sent'])
})

t.test('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is used as it is; no service name anywhere: unknown_service:node', async (t) => {
  const receiver = await startOtlpReceiver()
  t.teardown(() => receiver.close())
  await withEnv({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.url.replace('/v1/logs', '/custom/logs'), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, async () => {
    const stream = await otlpTransport({ deadLetter: join(tempDir('otlp'), 'dead.ndjson') })
    write(stream, [{ level: 30, time: 1, event: 'e' }])
    await drainAndEnd(stream)
  })
  t.equal(receiver.requests[0]!.path, '/custom/logs')
  t.same(receiver.requests[0]!.resource, { 'service.name': { string_value: 'unknown_service:node' } })
})

t.test('429, 502, 503 and 504 are retried (Retry-After honoured), with the same body', async (t) => {
  const failures = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 502 }, { status: 503 }, { status: 504 }]
  const { receiver, stream } = await setUp(t, { retry: { attempts: 5, minDelayMs: 5, maxDelayMs: 10 }, batch: { size: 3, intervalMs: 0 } }, (_request, n) => failures[n])
  write(stream, [1, 2, 3].map((i) => ({ level: 30, time: i, event: 'e', i })))
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 5)
  t.equal(new Set(receiver.requests.map((request) => request.raw.toString('hex'))).size, 1, 'the same bytes every try (same observed time)')
  t.ok(receiver.requests[1]!.at - receiver.requests[0]!.at >= 950, `Retry-After: 1 waited a second, beyond maxDelayMs (${receiver.requests[1]!.at - receiver.requests[0]!.at} ms)`)
  t.match(statsOf(stream), { accepted: 3, delivered: 3, retried: 12, deadLettered: 0 })
  t.equal(receiver.logs.length, 3)
})

t.test('a 400 is not retried: dead-lettered with the collector\'s message (a google.rpc.Status)', async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, {}, () => statusAnswer(400, 'invalid log record'))
  write(stream, [{ level: 30, time: 1, event: 'e', i: 1 }, { level: 30, time: 2, event: 'e', i: 2 }])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 1)
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as { i: number }).i), [1, 2])
  t.match(dead[0], { attempts: 1, error: `HTTP 400 Bad Request from ${receiver.url}: invalid log record` })
  t.match(statsOf(stream), { delivered: 0, deadLettered: 2 })
})

t.test('a partial success that rejects nothing delivers everything and reports the warning', async (t) => {
  const { receiver, stream } = await setUp(t, {}, () => partialSuccessAnswer(false, 0, 'attributes were truncated'))
  write(stream, [{ level: 30, time: 1, event: 'e' }])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 1)
  t.match(statsOf(stream), { delivered: 1, deadLettered: 0 })
})

t.test('collector away: retried, then dead-lettered and counted; close keeps its deadline', async (t) => {
  const receiver = await startOtlpReceiver()
  const url = receiver.url
  await receiver.close()
  const deadLetter = join(tempDir('otlp'), 'dead.ndjson')
  const stream = await otlpTransport({ url, deadLetter, retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 20 }, batch: { size: 2, intervalMs: 0 } })
  write(stream, [1, 2, 3].map((i) => ({ level: 30, time: i, event: 'e', i })))
  await drainAndEnd(stream)
  t.match(statsOf(stream), { accepted: 3, delivered: 0, deadLettered: 3, dropped: 0, queued: 0 })
  t.ok(statsOf(stream).retried >= 3, 'retried before giving up')
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as { i: number }).i).sort(), [1, 2, 3])
  t.match(dead[0], { transport: 'otlp', attempts: 3, error: /ECONNREFUSED/ })

  // Long retry waits: closing dead-letters what is left at its deadline instead of waiting them out.
  const slow = await otlpTransport({ url, deadLetter, retry: { attempts: 10, minDelayMs: 60_000, maxDelayMs: 60_000 }, closeTimeoutMs: 300 })
  write(slow, [{ level: 30, time: 1, event: 'late', i: 4 }])
  await new Promise((resolve) => setTimeout(resolve, 100))
  const started = Date.now()
  await endTransport(slow)
  t.ok(Date.now() - started < 2_000, `closed within its deadline (${Date.now() - started} ms)`)
  t.match(statsOf(slow), { accepted: 1, delivered: 0, deadLettered: 1, queued: 0 })
  t.match(readDeadLetters(deadLetter).at(-1), { record: { event: 'late', i: 4 }, error: /ECONNREFUSED.*no time left to retry before close/ })
})

t.test('bad options name the transport and the option, environment variables included', async (t) => {
  const bad = async (options: Record<string, unknown>, env: Record<string, string> = {}): Promise<unknown> => withEnv(env, () => otlpTransport(options).then(() => undefined, (error: unknown) => error))
  const grpc = await bad({ protocol: 'grpc' })
  t.ok(grpc instanceof TransportConfigError)
  t.match(grpc, { transport: 'otlp', option: 'protocol', message: 'Invalid option "protocol" of daslog/transports/otlp: expected \'http/protobuf\' or \'http/json\', got "grpc"; OTLP over gRPC is not supported, a collector takes OTLP/HTTP on port 4318' })
  t.match(await bad({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), { name: 'TransportConfigError', transport: 'otlp', option: 'protocol (from OTEL_EXPORTER_OTLP_PROTOCOL)' })
  t.match(await bad({ url: 'ftp://x' }), { option: 'url', message: /expected an http:\/\/ or https:\/\/ URL/ })
  t.match(await bad({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }), { option: 'url (from OTEL_EXPORTER_OTLP_ENDPOINT)' })
  t.match(await bad({ resource: { 'service.name': { nested: 1 } } }), { option: 'resource.service.name', message: /expected a string, number, boolean or an array of them/ })
  t.match(await bad({ resource: 'svc' }), { option: 'resource' })
  t.match(await bad({ headers: { 'Content-Length': '1' } }), { option: 'headers.Content-Length' })
  t.match(await bad({}, { OTEL_EXPORTER_OTLP_HEADERS: 'a b=1' }), { option: 'headers (from OTEL_EXPORTER_OTLP_HEADERS)' })
  t.match(await bad({}, { OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' }), { option: 'resource (from OTEL_RESOURCE_ATTRIBUTES)' })
  t.match(await bad({ batch: { size: 0 } }), { option: 'batch.size' })
  t.match(await bad({ compression: 'gzip' }), { option: 'compression', message: /unknown option/ })
})
