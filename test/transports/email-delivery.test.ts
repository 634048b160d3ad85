// The email transport in-process against a real SMTP server (smtp-server) on 127.0.0.1: envelopes, rendering, escaping, SMTP answers, throttling.
import { join } from 'node:path'
import t from 'tap'
import fc from 'fast-check'
import { startSmtpInbox, type SmtpInbox, type SmtpInboxOptions } from 'daslog/testing'
import emailTransport from '../../transports/email.js'
import { createTransport, transportControl, type DaslogTransportStream } from '../../transports/shared/runtime.js'
import { emailOptionsSpec } from '../../transports/email/options.js'
import { openEmailDestination } from '../../transports/email/destination.js'
import type { WorkerMessage } from '../../transports/shared/protocol.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd, readDeadLetters, statsOf } from './helpers.js'

const fastRetry = { attempts: 4, minDelayMs: 10, maxDelayMs: 40 }

async function setUp (t: { teardown: (fn: () => Promise<void>) => void }, options: Record<string, unknown> = {}, smtp: SmtpInboxOptions = {}): Promise<{ receiver: SmtpInbox, stream: DaslogTransportStream, deadLetter: string }> {
  const receiver = await startSmtpInbox(smtp)
  t.teardown(() => receiver.close())
  const deadLetter = join(tempDir('email'), 'dead.ndjson')
  const stream = await emailTransport({ smtp: { host: '127.0.0.1', port: receiver.port }, from: 'daslog@example.com', to: 'ops@example.com', deadLetter, retry: fastRetry, ...options })
  return { receiver, stream, deadLetter }
}

const line = (record: Record<string, unknown>): string => JSON.stringify({ level: 50, time: Date.parse('2026-11-23T10:15:00Z'), pid: 1, hostname: 'h', ...record }) + '\n'
const finish = drainAndEnd

t.test('one mail per record, rendered by the default templates, to exactly the configured recipients', async (t) => {
  const { receiver, stream } = await setUp(t, { to: ['ops@example.com', 'Oncall <oncall@example.com>'], cc: 'lead@example.com', bcc: ['audit@example.com'] })
  stream.write(line({ event: 'payment_process_failed', correlation_id: 'c-1', order_id: 'ORD-1', amount: 12.5, card: { brand: 'visa' } }))
  await finish(stream)
  t.equal(receiver.mails.length, 1)
  const [mail] = receiver.mails
  t.equal(mail!.from, 'daslog@example.com')
  t.same(mail!.to, ['ops@example.com', 'oncall@example.com', 'lead@example.com', 'audit@example.com'])
  t.equal(mail!.subject, '[error] payment_process_failed (c-1)')
  t.equal(mail!.text.trim(), [
    'payment_process_failed', 'level: error', 'time: 2026-11-23T10:15:00.000Z', 'correlation id: c-1',
    'order_id: ORD-1', 'amount: 12.5', 'card: {"brand":"visa"}'
  ].join('\n'))
  t.match(mail!.html, '<tr><th align="left">card</th><td>{&quot;brand&quot;:&quot;visa&quot;}</td></tr>')
  t.notMatch(mail!.raw, /^bcc:/im, 'Bcc is in the envelope only')
  t.match(statsOf(stream), { accepted: 1, delivered: 1, retried: 0, deadLettered: 0 })
})

t.test('nothing in a record reaches a recipient or a header: CR/LF, commas, <, Bcc: text', async (t) => {
  const { receiver, stream } = await setUp(t, { subject: 'Alert for {{user}} {{note}}', text: 'user={{user}}' })
  const hostile = { user: 'x@evil.example\r\nBcc: attacker@evil.example', note: 'a, b <c@evil.example>; d@evil.example', to: 'attacker@evil.example', bcc: 'attacker@evil.example' }
  stream.write(line({ event: 'auth_login_failed', ...hostile }))
  await finish(stream)
  const [mail] = receiver.mails
  t.same(mail!.to, ['ops@example.com'])
  t.equal(mail!.subject, 'Alert for x@evil.example Bcc: attacker@evil.example a, b <c@evil.example>; d@evil.example', 'one line')
  t.equal(mail!.headers.to, 'ops@example.com')
  const headerNames = Object.keys(mail!.headers)
  t.notOk(headerNames.includes('bcc') || headerNames.includes('cc'), `headers: ${headerNames.join(', ')}`)
  t.equal(mail!.text, 'user=x@evil.example\r\nBcc: attacker@evil.example'.replace('\r\n', '\n'), 'the body carries the text as text')
})

t.test('per-event-pattern templates with nested fields; the first matching pattern wins', async (t) => {
  const { receiver, stream } = await setUp(t, {
    templates: {
      'payment_*_failed': { subject: 'Payment {{order_id}} failed for {{customer.name}}', html: '<p>{{customer.name}} owes {{amount}} {{currency}}</p>' },
      'payment_*': { subject: 'never used for failures' }
    }
  })
  stream.write(line({ event: 'payment_process_failed', order_id: 'ORD-7', amount: 5, currency: 'EUR', customer: { name: 'Zoë <b>' } }))
  stream.write(line({ event: 'payment_refund_success', order_id: 'ORD-8' }))
  stream.write(line({ event: 'auth_login_failed', user_id: 'u1' }))
  await finish(stream)
  const subjects = receiver.mails.map((mail) => mail.subject).sort()
  t.same(subjects, ['Payment ORD-7 failed for Zoë <b>', '[error] auth_login_failed', 'never used for failures'])
  const failed = receiver.mails.find((mail) => mail.subject.startsWith('Payment'))!
  t.equal(failed.html, '<p>Zoë &lt;b&gt; owes 5 EUR</p>')
  t.match(failed.text, /^payment_process_failed\nlevel: error/, 'the text falls back to the default')
})

t.test('HTML output escapes every inserted value (property-based, through the SMTP server)', async (t) => {
  const { receiver, stream } = await setUp(t, { html: '<p title="{{value}}">{{value}}</p>', subject: 's' })
  const values = fc.sample(fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '`', '=', 'a', ' ', 'é', '😀', '<script>', '</p>', '{{', '}}') , maxLength: 30 }), { numRuns: 25, seed: 7 })
  for (const value of values) stream.write(line({ event: 'x', value }))
  await finish(stream)
  t.equal(receiver.mails.length, values.length)
  const escape = (value: string): string => value.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]!)
  const htmls = new Set(receiver.mails.map((mail) => mail.html))
  for (const value of values) t.ok(htmls.has(`<p title="${escape(value)}">${escape(value)}</p>`), JSON.stringify(value))
})

t.test('SMTP 451 twice, then 250: delivered once after two retries', async (t) => {
  const { receiver, stream } = await setUp(t, {}, { data: (n) => n < 2 ? { code: 451, message: '4.3.0 try again later' } : undefined })
  stream.write(line({ event: 'x' }))
  await finish(stream)
  t.equal(receiver.mails.length, 1)
  t.same(receiver.refused.map((refusal) => [refusal.command, refusal.n]), [['DATA', 0], ['DATA', 1]])
  t.match(statsOf(stream), { accepted: 1, delivered: 1, retried: 2, deadLettered: 0 })
})

t.test("SMTP 550: dead-lettered with the server's reply, not retried", async (t) => {
  const { receiver, stream, deadLetter } = await setUp(t, {}, { data: () => ({ code: 550, message: '5.7.1 message refused by policy' }) })
  stream.write(line({ event: 'x', order_id: 'o-1' }))
  await finish(stream)
  t.same(receiver.refused, [{ command: 'DATA', n: 0, code: 550, message: '5.7.1 message refused by policy' }])
  t.match(readDeadLetters(deadLetter), [{ transport: 'email', attempts: 1, error: `DeliveryError: SMTP 550 from 127.0.0.1:${receiver.port}: 550 5.7.1 message refused by policy`, record: { event: 'x', order_id: 'o-1' } }])
})

t.test('a recipient refused while others accept: delivered, and the refusal reported', async (t) => {
  const receiver = await startSmtpInbox({ rcpt: (address) => address === 'gone@example.com' ? { code: 550, message: '5.1.1 no such user' } : undefined })
  t.teardown(() => receiver.close())
  const messages: WorkerMessage[] = []
  const channel = { post: (message: WorkerMessage) => { messages.push(message) }, onCloseRequest: () => () => {} }
  const stream = await createTransport({ ...emailOptionsSpec, open: openEmailDestination }, {
    smtp: { host: '127.0.0.1', port: receiver.port }, from: 'daslog@example.com', to: ['ops@example.com', 'gone@example.com'], deadLetter: join(tempDir('email'), 'dead.ndjson')
  }, channel)
  stream.write(line({ event: 'x' }))
  await finish(stream)
  t.same(receiver.mails.map((mail) => mail.to), [['ops@example.com']])
  t.match(statsOf(stream), { delivered: 1, deadLettered: 0 })
  const failure = messages.find((message) => message.type === 'failure')
  t.match(failure, { failure: { outcome: 'partially delivered', count: 1, error: /^refused by gone@example\.com at 127\.0\.0\.1:\d+: 550 5\.1\.1 no such user \(the other recipients got it\)$/ } })
})

t.test('a storm of 1,000 identical alerts in one window: one alert, then one digest; other alerts are not held', async (t) => {
  const { receiver, stream } = await setUp(t, { throttle: { windowMs: 400 } })
  let text = ''
  for (let i = 0; i < 1000; i++) text += line({ event: 'payment_process_failed', correlation_id: `c-${i}`, order_id: `o-${i}` })
  text += line({ event: 'auth_login_failed', user_id: 'u1' })
  text += line({ level: 40, event: 'payment_process_failed', order_id: 'warn-level' })
  stream.write(text)
  await receiver.waitFor(4)
  const subjects = receiver.mails.map((mail) => mail.subject)
  t.same(subjects.slice(0, 3).sort(), ['[error] auth_login_failed', '[error] payment_process_failed (c-0)', '[warn] payment_process_failed'], 'first of each key at once')
  t.equal(subjects[3], '[error] payment_process_failed: 999 more in 400 ms')
  const digest = receiver.mails[3]!.text
  t.match(digest, /^999 more payment_process_failed alerts \(error\) came within 400 ms of the first/)
  t.match(digest, /\[c-1\] order_id=o-1\n/)
  t.match(digest, /\[c-200\] order_id=o-200\n/)
  t.notMatch(digest, /\[c-201\]/, 'the first 200 listed')
  t.match(digest, /and 799 more, not listed/)
  await finish(stream)
  t.equal(receiver.mails.length, 4)
  t.match(statsOf(stream), { accepted: 1002, delivered: 1002, deadLettered: 0, queued: 0 })
})

t.test('a drain asked for while a storm is still queued: the repeats still go into one digest, not out one by one', async (t) => {
  // The drain is asked for while the first alert is at the SMTP server and the rest wait in the queue.
  let drained: Promise<void> | undefined
  const { receiver, stream } = await setUp(t, { throttle: { windowMs: 3_600_000 } }, {
    rcpt: (_address, n) => {
      if (n === 0) drained = stream[transportControl].drained()
      return undefined
    }
  })
  let text = ''
  for (let i = 0; i < 300; i++) text += line({ event: 'payment_process_failed', order_id: `o-${i}` })
  stream.write(text)
  await receiver.waitFor(1)
  await drained
  t.same(receiver.mails.map((mail) => mail.subject), ['[error] payment_process_failed', '[error] payment_process_failed: 299 more in 1 h'])
  await finish(stream)
  t.match(statsOf(stream), { accepted: 300, delivered: 300, deadLettered: 0, queued: 0 })
})

t.test('a window still open at close: its digest goes out before the transport closes', async (t) => {
  const { receiver, stream } = await setUp(t, { throttle: { windowMs: 3_600_000, key: ['order_id'] } })
  stream.write(line({ event: 'x', order_id: 'a' }) + line({ event: 'x', order_id: 'a' }) + line({ event: 'x', order_id: 'b' }) + line({ event: 'x', order_id: 'a' }))
  await finish(stream)
  t.same(receiver.mails.map((mail) => mail.subject).sort(), ['[error] x', '[error] x', '[error] x: 2 more in 1 h'])
  t.match(statsOf(stream), { accepted: 4, delivered: 4, queued: 0 })
})
