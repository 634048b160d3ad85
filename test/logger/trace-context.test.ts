// traceContext: records written while an OpenTelemetry span (made by the SDK) is active carry its ids; others do not.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, createLogger, Events, masking, sampling, type Logger } from '../../src/index.js'
import { base, tempDir, textSink } from '../helpers.js'
import { inSpan, sdkTracer } from '../otel.js'
import { withTraceContext } from '../../src/logger/trace-context.js'
import type { WriteFn } from '../../src/logger/log-method.js'

sdkTracer()

/** A logger (options as given) writing to a sink, and its records parsed, without `time` and the viewers' `msg`. */
function sinkLogger (options: Record<string, unknown>): { log: Logger, records: () => Array<Record<string, unknown>> } {
  const sink = textSink()
  const log = createLogger({ config: false, ...options }, sink.stream)
  const records = (): Array<Record<string, unknown>> => sink.lines().map((line) => {
    const { time: _time, msg: _msg, ...record } = JSON.parse(line) as Record<string, unknown>
    return record
  })
  return { log, records }
}

t.test('inside a span records carry trace_id, span_id and trace_flags, across await; outside they do not', async (t) => {
  const { log, records } = sinkLogger({ traceContext: true })
  log.info(Events.API_REQUEST_STARTED, { endpoint: '/a', method: 'GET' })
  const ids = await inSpan('request', async (ids) => {
    log.info(Events.API_REQUEST_STARTED, { endpoint: '/b', method: 'GET' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    log.bind('c-1').warn(Events.API_REQUEST_FAILED, new Error('boom') as never)
    const inner = await inSpan('query', async (inner) => {
      await Promise.resolve()
      log.info(Events.DATABASE_QUERY_STARTED, {})
      return inner
    })
    t.equal(inner.trace_id, ids.trace_id, 'a child span: the same trace')
    t.not(inner.span_id, ids.span_id)
    log.info(Events.DATABASE_QUERY_COMPLETED, { duration_ms: 3 })
    return { ...ids, inner }
  })
  log.info(Events.API_REQUEST_COMPLETED, { endpoint: '/c', method: 'GET', status_code: 200, duration_ms: 9 })
  const { inner, ...outer } = ids
  t.match(outer, { trace_id: /^[0-9a-f]{32}$/, span_id: /^[0-9a-f]{16}$/, trace_flags: '01' })
  const [before, first, failed, query, afterQuery, after] = records()
  t.strictSame(before, { level: 30, ...base, endpoint: '/a', method: 'GET', event: 'api_request_started' })
  t.strictSame(first, { level: 30, ...base, ...outer, endpoint: '/b', method: 'GET', event: 'api_request_started' })
  t.match(failed, { level: 40, correlation_id: 'c-1', ...outer, err: { type: 'Error', message: 'boom' }, event: 'api_request_failed' })
  t.strictSame(query, { level: 30, ...base, ...inner, event: 'database_query_started' })
  t.strictSame(afterQuery, { level: 30, ...base, ...outer, duration_ms: 3, event: 'database_query_completed' }, 'back in the outer span')
  t.strictSame(after, { level: 30, ...base, endpoint: '/c', method: 'GET', status_code: 200, duration_ms: 9, event: 'api_request_completed' })
})

t.test('off by default: no ids inside a span; on, a record outside a span is the same as off', async (t) => {
  const off = sinkLogger({})
  const on = sinkLogger({ traceContext: true })
  await inSpan('x', () => { off.log.info(Events.CACHE_LOOKUP_HIT, { key: 'k' }) })
  on.log.info(Events.CACHE_LOOKUP_HIT, { key: 'k' })
  t.strictSame(off.records(), [{ level: 30, ...base, key: 'k', event: 'cache_lookup_hit' }])
  t.strictSame(on.records(), off.records())
})

t.test('through processors (sampling, masking, a record copy) and with fields given as an Error', async (t) => {
  const copying = (record: Record<string, unknown>): Record<string, unknown> => ({ ...record, copied: true })
  for (const processors of [[sampling({ rate: 1 }), masking({ keys: ['password'] })], [copying]]) {
    const { log, records } = sinkLogger({ traceContext: true, processors })
    const ids = await inSpan('x', (ids) => {
      log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', password: 'p' } as never)
      return ids
    })
    t.match(records()[0], { ...ids, user_id: 'u1', event: 'auth_login_success' })
  }
})

t.test('traceContext in pino.config; a value that is not a boolean is refused', async (t) => {
  const dir = tempDir('trace')
  const config = join(dir, 'pino.config.json')
  writeFileSync(config, JSON.stringify({ traceContext: true }))
  const sink = textSink()
  const log = createLogger({ config }, sink.stream)
  const ids = await inSpan('x', (ids) => { log.info(Events.CACHE_LOOKUP_HIT, { key: 'k' }); return ids })
  t.match(JSON.parse(sink.lines()[0]!), ids)
  t.throws(() => createLogger({ config: false, traceContext: 'yes' as never }), new ConfigError('traceContext', 'expected true or false, got "yes"'))
})

t.test('to stdout: a process logging inside and outside a span', async (t) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', new URL('../fixtures/trace-context-stdout.ts', import.meta.url).pathname], { encoding: 'utf8', timeout: 30_000 })
  t.equal(result.status, 0, result.stderr)
  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  const { ids } = lines.pop() as { ids: Record<string, string> }
  t.same(lines.map((line) => [line.event, line.trace_id, line.span_id, line.trace_flags]), [
    ['notification_send_started', undefined, undefined, undefined],
    ['notification_send_started', ids.trace_id, ids.span_id, '01'],
    ['notification_send_success', ids.trace_id, ids.span_id, '01'],
    ['notification_send_success', undefined, undefined, undefined]
  ])
  t.equal(lines[2]!.correlation_id, 'c-1')
})

t.test('without @opentelemetry/api: one DASLOG_TRACE_CONTEXT warning, and the writers as they were', async (t) => {
  const warnings: Array<{ message: string, code: string | undefined }> = []
  const onWarning = (warning: Error & { code?: string }): void => { warnings.push({ message: warning.message, code: warning.code }) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const writers: Record<'info', WriteFn> = { info: () => {} }
  const missing = (): never => { throw Object.assign(new Error("Cannot find module '@opentelemetry/api'\nRequire stack: ..."), { code: 'MODULE_NOT_FOUND' }) }
  t.equal(withTraceContext(writers, missing), writers)
  t.equal(withTraceContext(writers, missing), writers)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings, [{ code: 'DASLOG_TRACE_CONTEXT', message: "daslog: traceContext is on but @opentelemetry/api could not be loaded (Cannot find module '@opentelemetry/api'); records carry no trace ids. Install it beside daslog: npm install @opentelemetry/api" }])
})
