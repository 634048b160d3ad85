// The otlp transport through a real pino.transport worker, from a pino.config file, with traceContext and spans made
// by the OpenTelemetry SDK: what a local OTLP/HTTP receiver on 127.0.0.1 decodes.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events, TransportConfigError } from 'daslog'
import { tempDir } from '../helpers.js'
import { inSpan } from '../otel.js'
import { readDeadLetters } from './helpers.js'
import { startOtlpReceiver } from './otlp-receiver.js'

t.test('records from a pino.config file arrive as OTLP LogRecords; inside a span with its trace context, across await', async (t) => {
  const receiver = await startOtlpReceiver()
  t.teardown(() => receiver.close())
  const dir = tempDir('otlp')
  const config = join(dir, 'pino.config.json')
  writeFileSync(config, JSON.stringify({
    traceContext: true,
    base: { pid: 7, hostname: 'h' },
    transport: { target: 'daslog/transports/otlp', options: { url: receiver.url, resource: { 'service.name': 'checkout' }, batch: { size: 10, intervalMs: 20 }, deadLetter: join(dir, 'dead.ndjson') } }
  }))
  const log = createLogger({ config })
  log.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'o-1', amount: 12.5, currency: 'EUR' })
  const ids = await inSpan('checkout', async (ids) => {
    log.bind('c-1').info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'o-2', amount: 3, currency: 'EUR' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-2', amount: 3, currency: 'EUR', err: new Error('declined') } as never)
    return ids
  })
  log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'o-1', amount: 12.5, currency: 'EUR', transaction_id: 't-1' })
  await log.close()

  t.same(log.stats().map(({ transport, accepted, delivered, deadLettered }) => ({ transport, accepted, delivered, deadLettered })), [{ transport: 'otlp', accepted: 4, delivered: 4, deadLettered: 0 }])
  t.same(receiver.requests[0]!.resource, { 'service.name': { string_value: 'checkout' } })
  const logs = receiver.logs
  t.same(logs.map((log) => [log.event_name, log.severity_number, log.trace_id, log.span_id, log.flags]), [
    ['payment_process_started', 9, undefined, undefined, undefined],
    ['payment_process_started', 9, ids.trace_id, ids.span_id, 1],
    ['payment_process_failed', 17, ids.trace_id, ids.span_id, 1],
    ['payment_process_success', 9, undefined, undefined, undefined]
  ])
  t.same(logs[1]!.attributes, {
    pid: { int_value: '7' },
    hostname: { string_value: 'h' },
    correlation_id: { string_value: 'c-1' },
    order_id: { string_value: 'o-2' },
    amount: { int_value: '3' },
    currency: { string_value: 'EUR' }
  }, 'the trace context is not repeated as attributes')
  t.match(logs[2]!.attributes, { 'exception.type': { string_value: 'Error' }, 'exception.message': { string_value: 'declined' }, 'exception.stacktrace': { string_value: /^Error: declined\n/ } })
  t.ok(BigInt(logs[0]!.time_unix_nano) > 1_700_000_000_000_000_000n)
})

t.test('collector away behind a worker: records dead-lettered and counted, close within its deadline', async (t) => {
  const receiver = await startOtlpReceiver()
  const url = receiver.url
  await receiver.close()
  const dir = tempDir('otlp')
  const deadLetter = join(dir, 'dead.ndjson')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/otlp', options: { url, deadLetter, retry: { attempts: 100, minDelayMs: 50, maxDelayMs: 50 }, closeTimeoutMs: 500 } }
  })
  const failures: string[] = []
  log.onDeliveryFailure((failure) => { failures.push(failure.error) })
  for (let i = 0; i < 20; i++) log.info(Events.CACHE_LOOKUP_HIT, { key: `k${i}` })
  const started = Date.now()
  await log.close()
  t.ok(Date.now() - started < 3_000, `close took ${Date.now() - started} ms`)
  const [stats] = log.stats()
  t.match(stats, { accepted: 20, delivered: 0, deadLettered: 20, dropped: 0, queued: 0 })
  t.ok(stats!.retried > 0, 'retried while it could')
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as { key: string }).key).sort(), Array.from({ length: 20 }, (_, i) => `k${i}`).sort())
  t.match(dead[0], { transport: 'otlp', error: /ECONNREFUSED/ })
  t.match(failures, [/ECONNREFUSED/], 'reported to the listener')
})

t.test('a bad option fails createLogger with the transport, target and option named', async (t) => {
  t.throws(() => createLogger({ config: false, transport: { targets: [{ target: 'daslog/transports/otlp', options: { protocol: 'http/xml' } }] } }), TransportConfigError)
  t.throws(() => createLogger({ config: false, transport: { targets: [{ target: 'daslog/transports/otlp', options: { protocol: 'http/xml' } }] } }), {
    message: 'Invalid option "protocol" of daslog/transports/otlp (transport.targets[0]): expected \'http/protobuf\' or \'http/json\', got "http/xml"'
  })
})
