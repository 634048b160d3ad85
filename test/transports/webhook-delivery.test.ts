// The webhook transport in-process against real HTTP(S) servers on 127.0.0.1: what arrives, retries, failures, dead letters.
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { startWebhookReceiver, type Answer, type WebhookReceiver } from 'daslog/testing'
import webhookTransport from '../../transports/webhook.js'
import type { DaslogTransportStream } from '../../transports/shared/runtime.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd, endTransport, readDeadLetters, statsOf, withoutEventIds, writeRecords } from './helpers.js'

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const fastRetry = { attempts: 3, minDelayMs: 10, maxDelayMs: 40 }

/** The self-signed certificate of the HTTPS tests. */
const selfSigned = { key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url)), cert: readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)) }

async function setUp (t: { teardown: (fn: () => Promise<void>) => void }, answer: (n: number) => Answer, options: Record<string, unknown> = {}, tls = false): Promise<{ receiver: WebhookReceiver, stream: DaslogTransportStream, deadLetter: string }> {
  const receiver = await startWebhookReceiver({ answers: (_request, n) => answer(n), ...(tls ? { tls: selfSigned } : {}) })
  t.teardown(() => receiver.close())
  const deadLetter = join(tempDir('webhook'), 'dead.ndjson')
  const stream = await webhookTransport({ url: receiver.url, deadLetter, retry: fastRetry, ...options })
  return { receiver, stream, deadLetter }
}

const ok: () => Answer = () => ({ status: 200 })

t.test('a batch is one signed request with a JSON array; headers and extra args as configured', async (t) => {
  const { receiver, stream } = await setUp(t, ok, { headers: 'Api-Key=ABCD,X-Team=core', extraArgs: 'source=moat', signingSecret: secret, batch: { size: 10, intervalMs: 50 } })
  writeRecords(stream, ['auth_login_success', 'payment_process_failed', 'api_request_success'])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 1)
  const [request] = receiver.requests
  t.equal(request!.method, 'POST')
  t.equal(request!.path, '/webhook')
  t.match(request!.headers, { 'content-type': 'application/json', 'api-key': 'ABCD', 'x-team': 'core', 'user-agent': 'daslog' })
  t.same(withoutEventIds(t, JSON.parse(request!.body) as Array<Record<string, unknown>>), [
    { level: 30, time: 1_700_000_000_000, event: 'auth_login_success', i: 0, source: 'moat' },
    { level: 30, time: 1_700_000_000_001, event: 'payment_process_failed', i: 1, source: 'moat' },
    { level: 30, time: 1_700_000_000_002, event: 'api_request_success', i: 2, source: 'moat' }
  ])
  t.same(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>), JSON.parse(request!.body), 'the reference receiver verifies it')
  t.match(request!.headers['webhook-id'], /^msg_/)
  t.same(statsOf(stream), { transport: 'webhook', name: `webhook ${receiver.url}`, accepted: 3, delivered: 3, retried: 0, deadLettered: 0, dropped: 0, queued: 0 })
})

t.test('batch: false sends each record as an object; flattenPayload joins nested keys', async (t) => {
  const { receiver, stream } = await setUp(t, ok, { batch: false, flattenPayload: true, extraArgs: { env: { region: 'eu' } }, concurrency: 1 })
  stream.write(JSON.stringify({ level: 40, event: 'a', user: { id: 'u1', geo: { country: 'NL' } }, tags: ['x'] }) + '\n')
  stream.write(JSON.stringify({ level: 30, event: 'b' }) + '\n')
  await drainAndEnd(stream)
  t.same(withoutEventIds(t, receiver.records), [
    { level: 40, event: 'a', 'user.id': 'u1', 'user.geo.country': 'NL', tags: ['x'], 'env.region': 'eu' },
    { level: 30, event: 'b', 'env.region': 'eu' }
  ])
  t.equal(receiver.requests[0]!.headers['webhook-id'], undefined, 'no signing secret, no signature headers')
})

t.test('batches by size, and a partial batch after its interval', async (t) => {
  const { receiver, stream } = await setUp(t, ok, { batch: { size: 50, intervalMs: 300 }, concurrency: 1 })
  const started = Date.now()
  writeRecords(stream, Array.from({ length: 120 }, () => 'e'))
  await receiver.waitFor(3)
  t.same(receiver.deliveries.map((delivery) => delivery.records.length), [50, 50, 20])
  t.ok(receiver.requests[2]!.at - started >= 250, 'the last 20 waited for the interval')
  t.ok(receiver.requests[1]!.at - started < 250, 'full batches went at once')
  await endTransport(stream)
})

t.test('a receiver that fails the first attempts: delivered once, the same webhook-id on every try, each try signed anew', async (t) => {
  const { receiver, stream } = await setUp(t, (n) => n < 2 ? { status: n === 0 ? 503 : 408 } : { status: 204 }, { signingSecret: secret, batch: { size: 5, intervalMs: 0 } })
  writeRecords(stream, ['a', 'b', 'c', 'd', 'e'])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 3)
  t.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 1, 'one message id across retries')
  t.equal(new Set(receiver.requests.map((r) => r.body)).size, 1, 'the same body')
  for (const request of receiver.requests) new Webhook(secret).verify(request.body, request.headers as Record<string, string>)
  t.match(statsOf(stream), { accepted: 5, delivered: 5, retried: 10, deadLettered: 0 })
})

t.test('429 with Retry-After waits as told, even beyond maxDelayMs', async (t) => {
  const { receiver, stream } = await setUp(t, (n) => n === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { status: 200 }, { batch: false })
  writeRecords(stream, ['a'])
  await receiver.waitFor(2)
  const waited = receiver.requests[1]!.at - receiver.requests[0]!.at
  t.ok(waited >= 950, `waited ${waited} ms`)
  await drainAndEnd(stream)
  t.match(statsOf(stream), { delivered: 1, retried: 1 })
})

t.test('a hung receiver: each try times out, then the records are dead-lettered with the reason', async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, () => 'hang', { timeoutMs: 150, retry: { attempts: 2, minDelayMs: 10, maxDelayMs: 10 }, batch: false, concurrency: 2, circuitBreaker: false })
  writeRecords(stream, ['a', 'b'])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 4, 'two tries each')
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as { event: string }).event).sort(), ['a', 'b'])
  for (const line of dead) t.match(line, { transport: 'webhook', attempts: 2, error: `HttpRequestError ETIMEDOUT: no answer within 150 ms (${receiver.url})` })
  t.match(statsOf(stream), { accepted: 2, delivered: 0, deadLettered: 2, queued: 0 })
})

t.test('4xx other than 408/429 and 3xx are not retried; dead letters carry the status and the answer', async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, (n) => n === 0
    ? { status: 400, body: '{"error":"missing field: user"}' }
    : { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }, { batch: false, concurrency: 1 })
  writeRecords(stream, ['a', 'b'])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 2, 'one try each, the redirect not followed')
  t.same(readDeadLetters(deadLetter).map((line) => [line.error, line.attempts]), [
    [`DeliveryError: HTTP 400 Bad Request from ${receiver.url}: {"error":"missing field: user"}`, 1],
    [`DeliveryError: HTTP 302 Found from ${receiver.url}: redirects are not followed (Location: http://127.0.0.1:1/elsewhere)`, 1]
  ])
})

t.test('410 Gone stops delivery to the endpoint: later records are dead-lettered without a request', async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, () => ({ status: 410 }), { batch: false, concurrency: 1 })
  writeRecords(stream, ['a', 'b', 'c'])
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 1)
  const dead = readDeadLetters(deadLetter)
  t.equal(dead.length, 3)
  for (const line of dead) t.match(line.error, `HTTP 410 Gone from ${receiver.url}; delivery to this endpoint stopped`)
})

t.test('the circuit breaker stops requests to a failing endpoint for its cooldown, then probes', async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, () => ({ status: 500 }), {
    batch: false, concurrency: 1, retry: { attempts: 20, minDelayMs: 5, maxDelayMs: 5 }, circuitBreaker: { failures: 3, cooldownMs: 400 }, closeTimeoutMs: 0
  })
  writeRecords(stream, ['a'])
  await receiver.waitFor(5, 3000)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const at = receiver.requests.map((request) => request.at)
  t.ok(at[2]! - at[0]! < 200, 'three quick tries')
  t.ok(at[3]! - at[2]! >= 380, `then the cooldown (${at[3]! - at[2]!} ms) before one probe`)
  t.ok(at[4]! - at[3]! >= 380, 'a failed probe opens it again')
  await endTransport(stream)
  const [dead] = readDeadLetters(deadLetter)
  t.match(dead, { attempts: 5, error: /circuit open after \d+ consecutive failures \(last: HTTP 500 Internal Server Error from .*\); (no time left to retry before close|not delivered before the close deadline)$/ })
})

t.test('at most `concurrency` requests at once', async (t) => {
  const { receiver, stream } = await setUp(t, () => ({ status: 200, delayMs: 50 }), { batch: false, concurrency: 3 })
  writeRecords(stream, Array.from({ length: 12 }, (_, i) => `e${i}`))
  await drainAndEnd(stream)
  t.equal(receiver.requests.length, 12)
  t.equal(receiver.load.max, 3)
})

t.test('HTTPS with a self-signed certificate: refused by default, accepted with sslVerify: false (and a warning)', async (t) => {
  const refused = await setUp(t, ok, { retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 5 }, batch: false }, true)
  writeRecords(refused.stream, ['a'])
  await drainAndEnd(refused.stream)
  t.equal(refused.receiver.requests.length, 0)
  t.match(readDeadLetters(refused.deadLetter), [{ attempts: 2, error: /self-signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/ }])

  const warnings: Error[] = []
  const onWarning = (warning: Error): void => { warnings.push(warning) }
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const accepted = await setUp(t, ok, { sslVerify: false, batch: false }, true)
  writeRecords(accepted.stream, ['a'])
  await drainAndEnd(accepted.stream)
  t.same(withoutEventIds(t, accepted.receiver.records), [{ level: 30, time: 1_700_000_000_000, event: 'a', i: 0 }])
  await new Promise((resolve) => setImmediate(resolve))
  const tls = warnings.filter((warning) => (warning as Error & { code?: string }).code === 'DASLOG_TLS_UNVERIFIED')
  t.equal(tls.length, 1, 'one warning')
  t.match(tls[0]?.message, 'sslVerify is false')
})
