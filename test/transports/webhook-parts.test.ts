// The webhook transport's parts on their own: option checks, payload shaping, signatures, Retry-After, the circuit breaker.
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { ConfigError } from '../../src/errors.js'
import { webhookOptionsSpec } from '../../transports/webhook/options.js'
import { parsePairs } from '../../transports/shared/header-options.js'
import { flattened, payloadShaper } from '../../transports/webhook/payload.js'
import { messageId, signature, signingKey } from '../../transports/webhook/signature.js'
import { retryAfterMs } from '../../transports/shared/retry.js'
import { CircuitBreaker } from '../../transports/shared/circuit-breaker.js'
import { retryOption } from '../../transports/shared/network-options.js'

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

t.test("'Name=value,Other=value' strings, as seeds/002 writes them", async (t) => {
  t.same(parsePairs('headers', 'Api-Key=ABCD,content-type=application/json'), { 'Api-Key': 'ABCD', 'content-type': 'application/json' })
  t.same(parsePairs('extraArgs', ' source = moat , token=a=b==,'), { source: 'moat', token: 'a=b==' }, 'trimmed; a value keeps its own "="')
  t.throws(() => parsePairs('headers', 'Api-Key'), new ConfigError('headers', 'expected Name=value pairs separated by commas, got "Api-Key"'))
  t.throws(() => parsePairs('headers', '=x'), { name: 'ConfigError', option: 'headers' })
})

t.test('options: defaults, both forms of headers and extraArgs', async (t) => {
  const options = webhookOptionsSpec.parse({ url: 'https://hooks.example.com/in?token=secret' })
  t.match(options, {
    headers: {}, extraArgs: {}, sslVerify: true, flattenPayload: false, batch: { size: 100, intervalMs: 1000 },
    signingKeys: [], concurrency: 4, circuitBreaker: { failures: 5, cooldownMs: 30_000 },
    retry: { attempts: 5, minDelayMs: 500, maxDelayMs: 30_000 }, timeoutMs: 10_000
  })
  t.equal(webhookOptionsSpec.describe(options), 'https://hooks.example.com/in', 'the name leaves out the query, which may hold a token')
  const fromStrings = webhookOptionsSpec.parse({ url: 'http://127.0.0.1/x', headers: 'Api-Key=ABCD', extraArgs: 'source=moat', batch: false })
  t.same(fromStrings.headers, { 'api-key': 'ABCD' })
  t.same(fromStrings.extraArgs, { source: 'moat' })
  t.equal(fromStrings.batch, false)
  const fromObjects = webhookOptionsSpec.parse({ url: 'http://127.0.0.1/x', headers: { 'X-Team': 'core', 'X-Retry': 3 }, extraArgs: { env: { region: 'eu' } }, signingSecret: [secret, secret] })
  t.same(fromObjects.headers, { 'x-team': 'core', 'x-retry': '3' })
  t.same(fromObjects.extraArgs, { env: { region: 'eu' } })
  t.equal(fromObjects.signingKeys.length, 2)
})

t.test('bad options name the option and say what is wrong', async (t) => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{}, 'url', /required/],
    [{ url: 'not a url' }, 'url', /absolute http/],
    [{ url: 'ftp://example.com/x' }, 'url', /ftp:/],
    [{ url: 'http://h/', headers: 'A' }, 'headers', /Name=value/],
    [{ url: 'http://h/', headers: { 'Bad Name': 'x' } }, 'headers', /not a valid header name/],
    [{ url: 'http://h/', headers: { 'Content-Length': '1' } }, 'headers.Content-Length', /set by daslog/],
    [{ url: 'http://h/', headers: { 'webhook-id': '1' } }, 'headers.webhook-id', /set by daslog/],
    [{ url: 'http://h/', headers: { 'X-A': 'a\r\nBcc: x' } }, 'headers.X-A', /CR, LF/],
    [{ url: 'http://h/', headers: { 'X-A': {} } }, 'headers.X-A', /expected a string/],
    [{ url: 'http://h/', headers: 42 }, 'headers', /object or a 'Name=value/],
    [{ url: 'http://h/', extraArgs: { big: 10n } }, 'extraArgs.big', /JSON-serializable/],
    [{ url: 'http://h/', sslVerify: 'no' }, 'sslVerify', /true or false/],
    [{ url: 'http://h/', flattenPayload: 1 }, 'flattenPayload', /true or false/],
    [{ url: 'http://h/', batch: { size: 0 } }, 'batch.size', /from 1 to 10000/],
    [{ url: 'http://h/', batch: { every: 1 } }, 'batch.every', /unknown option/],
    [{ url: 'http://h/', signingSecret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, 'signingSecret', /whsec_/],
    [{ url: 'http://h/', signingSecret: 'whsec_not base64!' }, 'signingSecret', /not base64/],
    [{ url: 'http://h/', signingSecret: 'whsec_c2hvcnQ=' }, 'signingSecret', /at least 16/],
    [{ url: 'http://h/', signingSecret: [secret, 7] }, 'signingSecret[1]', /whsec_/],
    [{ url: 'http://h/', signingSecret: [] }, 'signingSecret', /non-empty/],
    [{ url: 'http://h/', concurrency: 0 }, 'concurrency', /from 1 to 64/],
    [{ url: 'http://h/', circuitBreaker: { failures: 0 } }, 'circuitBreaker.failures', /from 1/],
    [{ url: 'http://h/', retry: { attempts: 0 } }, 'retry.attempts', /from 1 to 100/],
    [{ url: 'http://h/', retry: { minDelayMs: 100, maxDelayMs: 50 } }, 'retry.maxDelayMs', /less than retry.minDelayMs/],
    [{ url: 'http://h/', timeoutMs: 0 }, 'timeoutMs', /from 1/]
  ]
  for (const [options, option, problem] of cases) {
    t.throws(() => webhookOptionsSpec.parse(options), { name: 'ConfigError', option, problem }, `${JSON.stringify(options, (_k, v: unknown) => typeof v === 'bigint' ? 'bigint' : v)} -> ${option}`)
  }
})

t.test('retry: each part defaults on its own', async (t) => {
  t.same(retryOption({ attempts: 2 }), { attempts: 2, minDelayMs: 500, maxDelayMs: 30_000 })
  t.same(retryOption({ minDelayMs: 60_000 }), { attempts: 5, minDelayMs: 60_000, maxDelayMs: 60_000 }, 'the default maximum grows to a larger minimum')
})

t.test('flattening joins nested keys with "."; arrays and empty objects stay values', async (t) => {
  t.same(flattened({ a: { b: { c: 1 }, d: [1, { e: 2 }] }, f: {}, g: null, 'h.i': 'kept' }), { 'a.b.c': 1, 'a.d': [1, { e: 2 }], f: {}, g: null, 'h.i': 'kept' })
  const shape = payloadShaper({ source: 'moat', env: { region: 'eu' } }, true)
  t.same(shape({ event: 'x', source: 'record', user: { id: 1 } }), { event: 'x', source: 'moat', 'user.id': 1, 'env.region': 'eu' }, 'extra args win over the record, then all is flattened')
  const same = { event: 'x' }
  t.equal(payloadShaper({}, false)(same), same, 'nothing to do: the record itself')
})

t.test('signatures verify with the reference standardwebhooks package, for every key in rotation', async (t) => {
  const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64')
  const keys = [signingKey('signingSecret', secret), signingKey('signingSecret', other)]
  const id = messageId()
  t.match(id, /^msg_[A-Za-z0-9_-]{22}$/)
  t.not(messageId(), id)
  const body = Buffer.from(JSON.stringify([{ event: 'auth_login_success', name: 'Zoë ✓' }]))
  const timestamp = Math.floor(Date.now() / 1000)
  const header = signature(keys, id, timestamp, body)
  t.match(header, /^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/)
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': header }
  for (const key of [secret, other]) t.same(new Webhook(key).verify(body.toString(), headers), JSON.parse(body.toString()))
  t.equal(header.split(' ')[0], new Webhook(secret).sign(id, new Date(timestamp * 1000), body.toString()), 'the same signature as the reference')
  t.throws(() => new Webhook(secret).verify(body.toString() + ' ', headers), /signature/i, 'a changed body fails')
})

t.test('Retry-After: seconds or an HTTP date, capped at a day', async (t) => {
  const now = Date.parse('2026-11-23T10:00:00Z')
  t.equal(retryAfterMs('3', now), 3000)
  t.equal(retryAfterMs(['2', '9'], now), 2000)
  t.equal(retryAfterMs('Mon, 23 Nov 2026 10:00:05 GMT', now), 5000)
  t.equal(retryAfterMs('Mon, 23 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past: now')
  t.equal(retryAfterMs('999999999', now), 24 * 3_600_000)
  t.equal(retryAfterMs(undefined, now), undefined)
  t.equal(retryAfterMs('soon', now), undefined)
})

t.test('the circuit breaker opens after consecutive failures, probes once after the cooldown', async (t) => {
  let now = 0
  const breaker = new CircuitBreaker({ failures: 3, cooldownMs: 1000 }, () => now)
  breaker.failed('HTTP 503')
  breaker.failed('HTTP 503')
  breaker.succeeded()
  breaker.failed('HTTP 503')
  breaker.failed('HTTP 503')
  t.equal(breaker.refusal(), undefined, 'a success in between resets the count')
  breaker.failed('HTTP 502 from x')
  const refused = breaker.refusal()
  t.match(refused, { retryable: true, attempted: false, retryAfterMs: 1000, message: 'circuit open after 3 consecutive failures (last: HTTP 502 from x)' })
  now = 400
  t.equal(breaker.refusal()?.retryAfterMs, 600)
  now = 1000
  t.equal(breaker.refusal(), undefined, 'the probe may go')
  t.match(breaker.refusal(), { attempted: false, retryAfterMs: 250 }, 'one probe at a time')
  breaker.failed('timeout')
  t.equal(breaker.refusal()?.retryAfterMs, 1000, 'a failed probe opens it again')
  now = 2000
  t.equal(breaker.refusal(), undefined)
  breaker.succeeded()
  t.equal(breaker.refusal(), undefined, 'a good probe closes it')
  t.equal(breaker.refusal(), undefined)
})
