// The sms transport in-process against a Twilio-shaped endpoint on 127.0.0.1: form fields, auth, bodies, Twilio errors, throttling, rate limits.
import { join } from 'node:path'
import t from 'tap'
import { startSmsEndpoint, twilioError, type Answer, type SmsMessage } from 'daslog/testing'
import smsTransport from '../../transports/sms.js'
import { tempDir } from '../helpers.js'
import { accountSid, authToken, drainAndEnd, readDeadLetters, statsOf } from './helpers.js'

const fastRetry = { attempts: 3, minDelayMs: 10, maxDelayMs: 40 }

async function setUp (t: { teardown: (fn: () => Promise<void>) => void }, options: Record<string, unknown> = {}, answer?: (sms: SmsMessage, n: number) => Answer | undefined) {
  const endpoint = await startSmsEndpoint(answer === undefined ? {} : { answers: answer })
  t.teardown(() => endpoint.close())
  const deadLetter = join(tempDir('sms'), 'dead.ndjson')
  const stream = await smsTransport({ accountSid, authToken, from: '+15550001111', to: '+15552223333', baseUrl: endpoint.baseUrl, deadLetter, retry: fastRetry, ...options })
  return { endpoint, stream, deadLetter }
}

const line = (record: Record<string, unknown>): string => JSON.stringify({ level: 60, time: Date.parse('2026-11-23T10:15:00Z'), pid: 1, hostname: 'h', ...record }) + '\n'
const finish = drainAndEnd
/** What the transport sent, as the endpoint read it. */
const sent = ({ fields, user, password, path }: SmsMessage): Pick<SmsMessage, 'fields' | 'user' | 'password' | 'path'> => ({ fields, user, password, path })

t.test('the exact form fields, path and basic auth Twilio expects; the default body', async (t) => {
  const { endpoint, stream } = await setUp(t, { to: ['+15552223333', '+447700900123'] })
  stream.write(line({ event: 'payment_process_failed', correlation_id: 'c-9', order_id: 'ORD-1', amount: 12.5, reason: 'x'.repeat(60) }))
  await finish(stream)
  const body = `[fatal] payment_process_failed: order_id=ORD-1, amount=12.5, reason=${'x'.repeat(37)}... [c-9]`
  t.same(endpoint.messages.map(sent), ['+15552223333', '+447700900123'].map((to) => ({
    fields: { To: to, From: '+15550001111', Body: body }, user: accountSid, password: authToken, path: `/2010-04-01/Accounts/${accountSid}/Messages.json`
  })))
  t.match(endpoint.requests[0]!.headers, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' })
  t.same(statsOf(stream), { transport: 'sms', name: `sms +15550001111 via ${new URL(endpoint.baseUrl).host}`, accepted: 1, delivered: 1, retried: 0, deadLettered: 0, dropped: 0, queued: 0, segments: 2 }, 'one GSM-7 segment per recipient')
})

t.test('an API key and a messaging service; a body template', async (t) => {
  const apiKey = { sid: 'SK' + 'b'.repeat(32), secret: 'key-secret' }
  const { endpoint, stream } = await setUp(t, { from: undefined, messagingServiceSid: 'MG' + 'c'.repeat(32), authToken: undefined, apiKey, body: '{{event}} for {{customer.name}}' })
  stream.write(line({ event: 'x', customer: { name: 'Zoë' } }))
  await finish(stream)
  t.same(endpoint.messages.map(sent), [{ fields: { To: '+15552223333', MessagingServiceSid: 'MG' + 'c'.repeat(32), Body: 'x for Zoë' }, user: apiKey.sid, password: 'key-secret', path: `/2010-04-01/Accounts/${accountSid}/Messages.json` }])
})

t.test('long and emoji bodies: control characters stripped, cut to 1600, segments counted', async (t) => {
  const { endpoint, stream } = await setUp(t, { body: '{{text}}' })
  stream.write(line({ event: 'a', text: 'é'.repeat(2000) }))
  stream.write(line({ event: 'b', text: `alert \u001b[31mred\u001b[0m\r\nnext\u202eline ${'😀'.repeat(40)}` }))
  stream.write(line({ event: 'c', text: '😀'.repeat(900) }))
  await finish(stream)
  const [long, emoji, cut] = endpoint.messages.map((sms) => sms.fields.Body!)
  t.equal(long, 'é'.repeat(1600))
  t.equal(emoji, `alert red\nnextline ${'😀'.repeat(40)}`, 'the colour sequences vanish whole, not leaving [31m')
  t.equal(cut!.length, 1600)
  t.equal(cut, '😀'.repeat(800), 'no surrogate pair split')
  t.equal(statsOf(stream).segments, Math.ceil(1600 / 153) + Math.ceil(emoji!.length / 67) + Math.ceil(1600 / 67))
})

t.test('429 and 20429 are retried after Retry-After; then delivered once', async (t) => {
  const { endpoint, stream } = await setUp(t, {}, (_sms, n) => n === 0 ? twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }) : undefined)
  stream.write(line({ event: 'x' }))
  await finish(stream)
  t.equal(endpoint.messages.length, 1)
  t.ok(endpoint.requests[1]!.at - endpoint.requests[0]!.at >= 950, 'waited for Retry-After')
  t.match(statsOf(stream), { delivered: 1, retried: 1, deadLettered: 0 })
})

t.test('permanent Twilio errors are dead-lettered at once, with the code and message', async (t) => {
  const errors: Record<string, [number, number, string]> = {
    '+15550000001': [400, 21211, "The 'To' number +15550000001 is not a valid phone number."],
    '+15550000002': [400, 21610, 'Attempt to send to unsubscribed recipient'],
    '+15550000003': [400, 21614, "'To' number is not a valid mobile number"],
    '+15550000004': [400, 21617, 'The concatenated message body exceeds the 1600 character limit'],
    '+15550000005': [401, 20003, 'Authenticate']
  }
  const deadLetters: Array<Record<string, unknown>> = []
  for (const [to, [status, code, message]] of Object.entries(errors)) {
    const { endpoint, stream, deadLetter } = await setUp(t, { to }, () => twilioError(status, code, message))
    stream.write(line({ event: 'x', to }))
    await finish(stream)
    t.equal(endpoint.requests.length, 1, `${code}: one try`)
    deadLetters.push(...readDeadLetters(deadLetter))
  }
  t.same(deadLetters.map((dead) => [dead.error, dead.attempts]), Object.entries(errors).map(([to, [status, code, message]]) => [`DeliveryError: Twilio error ${code} (HTTP ${status}) for ${to}: ${message}`, 1]))
})

t.test('5xx is retried; a timeout after the request was sent is not re-sent', async (t) => {
  const flaky = await setUp(t, {}, (_sms, n) => n === 0 ? twilioError(503, 20500, 'Service unavailable') : undefined)
  flaky.stream.write(line({ event: 'x' }))
  await finish(flaky.stream)
  t.equal(flaky.endpoint.messages.length, 1)

  const hung = await setUp(t, { timeoutMs: 200 }, () => 'hang')
  hung.stream.write(line({ event: 'x' }))
  await finish(hung.stream)
  t.equal(hung.endpoint.requests.length, 1, 'one request, never a second')
  t.match(readDeadLetters(hung.deadLetter), [{ attempts: 1, error: /no answer within 200 ms .*the message may have been sent, so it is not sent again/ }])
})

t.test('a refused recipient does not stop the others, and a retry does not repeat a message already sent', async (t) => {
  let calls = 0
  const { endpoint, stream } = await setUp(t, { to: ['+15550000001', '+15550000002', '+15550000003'] }, (sms) => {
    calls++
    if (sms.fields.To === '+15550000002') return twilioError(400, 21610, 'unsubscribed')
    if (sms.fields.To === '+15550000003' && calls === 3) return twilioError(500, 20500, 'oops')
    return undefined
  })
  stream.write(line({ event: 'x' }))
  await finish(stream)
  t.same(endpoint.messages.map((sms) => sms.fields.To), ['+15550000001', '+15550000003'], 'each once')
  t.match(statsOf(stream), { delivered: 1, deadLettered: 0, retried: 1 })
})

t.test('1,000 identical critical events and 10 different ones: one SMS for the storm, one summary, all 10 others', async (t) => {
  const { endpoint, stream } = await setUp(t, { throttle: { windowMs: 500 } })
  let text = ''
  for (let i = 0; i < 1000; i++) text += line({ event: 'database_connection_failed', host: 'db-1', attempt: i })
  for (let i = 0; i < 10; i++) text += line({ event: `service_${i}_down` })
  stream.write(text)
  await endpoint.waitFor(12, 5000)
  const bodies = endpoint.messages.map((sms) => sms.fields.Body)
  t.equal(bodies.length, 12)
  t.equal(bodies.filter((body) => body!.startsWith('[fatal] database_connection_failed: host=db-1')).length, 1, 'the storm once')
  t.equal(bodies.at(-1), '[fatal] database_connection_failed: 999 more in 500 ms (last at 2026-11-23T10:15:00.000Z)', 'then the summary')
  for (let i = 0; i < 10; i++) t.ok(bodies.includes(`[fatal] service_${i}_down`), `service_${i}_down sent`)
  await finish(stream)
  t.match(statsOf(stream), { accepted: 1010, delivered: 1010, deadLettered: 0, queued: 0 })
})

t.test('a per-recipient rate limit delays messages instead of dropping them', async (t) => {
  const { endpoint, stream } = await setUp(t, { rateLimit: { count: 2, windowMs: 400 } })
  stream.write(line({ event: 'a' }) + line({ event: 'b' }) + line({ event: 'c' }))
  await finish(stream)
  const at = endpoint.requests.map((request) => request.at)
  t.equal(at.length, 3)
  t.ok(at[2]! - at[0]! >= 380, `the third waited for the window (${at[2]! - at[0]!} ms)`)
  t.match(statsOf(stream), { delivered: 3, retried: 0 })
})
