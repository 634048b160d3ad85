// Hostile input through every destination at once (stdout JSON, pretty
// console text in the main thread and in the worker, CSV, a
// webhook, email over SMTP, SMS to a Twilio-shaped endpoint): fixed nasty
// values plus fast-check generated ones. No call throws, every record stays
// one record, no sink carries raw control or bidi characters, and a masked
// canary secret appears nowhere.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { startSmsEndpoint, startSmtpInbox, startWebhookReceiver } from 'daslog/testing'
import { tempDir, textSink } from '../helpers.js'
import { accountSid, authToken, readCsv } from '../transports/helpers.js'

const canary = 'CANARY-5ecret-7f3a9'
/** Raw characters no sink may carry: C0 other than tab/LF/CR, DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/
/** And in a JSON line, no raw line break of any kind. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeInLine = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/

function hostileValues (): Array<Record<string, unknown>> {
  const circular: Record<string, unknown> = { name: 'loop' }
  circular.self = circular
  let deep: Record<string, unknown> = { leaf: 'bottom' }
  for (let i = 0; i < 2_000; i++) deep = { deep }
  const getter = Object.defineProperty({ visible: 1 }, 'boom', { enumerable: true, get () { throw new Error('getter exploded') } })
  return [
    { circular },
    { big: 2n ** 64n + 1n },
    { getter },
    { json: { toJSON () { throw new Error('toJSON exploded') } } },
    { map: new Map<unknown, unknown>([['password', canary], ['k', 'v']]), set: new Set([1, 'two']) },
    { buffer: Buffer.from('\u001b[31mred\u001b[0m') },
    { deep },
    { surrogate: 'lone \ud800 high and \udc00 low' },
    { crlf: 'line one\r\nSubject: injected\r\nBcc: evil@example.com' },
    { separators: 'a\u2028b\u2029c\u0085d' },
    { ansi: '\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\u009b31m' },
    { bidi: 'user\u202etxt.exe\u2066isolate\u2069\u200f' },
    { password: canary, nested: { secret: canary, list: [{ password: canary }] } },
    { message: `contact me at ${canary.toLowerCase()}@example.com` }
  ]
}

t.test('hostile records through stdout, CSV, webhook, email and SMS: one clean record each, no secret anywhere', async (t) => {
  const dir = tempDir('hostile')
  const csv = join(dir, 'out.csv')
  const webhook = await startWebhookReceiver()
  const smtp = await startSmtpInbox()
  const twilio = await startSmsEndpoint({ accountSid, authToken })
  t.teardown(async () => { await Promise.all([webhook.close(), smtp.close(), twilio.close()]) })

  const masking = { keys: ['password', 'secret'], patterns: ['email' as const] }
  const stdout = textSink()
  const direct = createLogger({ config: false, masking }, stdout.stream)
  const terminal = textSink()
  const pretty = createLogger({ config: false, masking, pretty: { colorize: true } }, terminal.stream)
  const prettyFile = join(dir, 'pretty.txt')
  const routed = createLogger({
    config: false,
    masking,
    deadLetter: join(dir, 'worker.dead-letter.ndjson'),
    transport: {
      targets: [
        { target: 'daslog/transports/csv', options: { path: csv, deadLetter: join(dir, 'csv.dead-letter.ndjson') } },
        { target: 'daslog/transports/webhook', options: { url: webhook.url, batch: { size: 50, intervalMs: 20 }, deadLetter: join(dir, 'webhook.dead-letter.ndjson') } },
        { target: 'daslog/transports/email', options: { smtp: { host: '127.0.0.1', port: smtp.port, pool: true, maxConnections: 5 }, from: 'alerts@example.com', to: 'ops@example.com', subject: '{{event}} {{crlf}} {{bidi}}', deadLetter: join(dir, 'email.dead-letter.ndjson'), closeTimeoutMs: 9_000 } },
        { target: 'daslog/transports/sms', options: { accountSid, authToken, from: '+15005550006', to: '+15005550001', baseUrl: twilio.baseUrl, rateLimit: { count: 1_000, windowMs: 1_000 }, deadLetter: join(dir, 'sms.dead-letter.ndjson') } }
      ]
    },
    pretty: { colorize: false, singleLine: true, destination: prettyFile }
  })

  const fixed = hostileValues()
  const generated = fc.sample(fc.record({
    text: fc.string({ unit: 'binary', maxLength: 200 }),
    key: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    value: fc.anything({ maxDepth: 3, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true })
  }), { numRuns: 40, seed: 20261123 }).map(({ text, key, value }) => ({ text, [key]: value, password: canary }))
  const records = [...fixed, ...generated]
  for (const [i, fields] of records.entries()) {
    t.doesNotThrow(() => { direct.error(Events.PAYMENT_PROCESS_FAILED, fields as never) }, `stdout call ${i} does not throw`)
    t.doesNotThrow(() => { pretty.error(Events.PAYMENT_PROCESS_FAILED, fields as never) }, `pretty call ${i} does not throw`)
    t.doesNotThrow(() => { routed.error(Events.PAYMENT_PROCESS_FAILED, { ...fields, order_id: `o-${i}` } as never) }, `routed call ${i} does not throw`)
  }
  await direct.close()
  await pretty.close()
  await routed.close()
  const emitted = records.length
  const lines = stdout.lines()

  // Pretty text: only the colours pino-pretty adds are escapes; one record never looks like two.
  const coloured = terminal.text()
  // eslint-disable-next-line no-control-regex -- the SGR colour sequences pino-pretty writes
  const withoutColours = coloured.replace(/\u001b\[[0-9;]*m/g, '')
  if (unsafe.test(withoutColours)) t.fail(`raw control in pretty output: ${JSON.stringify(withoutColours.match(unsafe))}`)
  t.notOk(/[\u2028\u2029]/.test(withoutColours), 'no line or paragraph separator in pretty output')
  t.equal(withoutColours.split('\n').filter((line) => /^\[[0-9:.]+\] ERROR: payment_process_failed$/.test(line)).length, emitted, 'one pretty header per record')
  const singleLines = readFileSync(prettyFile, 'utf8').split('\n').filter(Boolean)
  t.equal(singleLines.length, emitted, 'singleLine pretty output from the worker: one line per record')
  for (const line of singleLines) {
    if (!/^\[[0-9:.]+\] ERROR: payment_process_failed /.test(line)) t.fail(`not a pretty record line: ${JSON.stringify(line.slice(0, 80))}`)
    if (unsafe.test(line) || /[\u2028\u2029]/.test(line)) t.fail(`raw control in a worker pretty line: ${JSON.stringify(line.slice(0, 120))}`)
  }

  // stdout: one JSON line per call, nothing raw, BigInt exact.
  t.equal(lines.length, emitted, 'one line per record')
  for (const line of lines) {
    t.doesNotThrow(() => JSON.parse(line), 'each line is valid JSON')
    if (unsafeInLine.test(line)) t.fail(`raw control in a stdout line: ${JSON.stringify(line.slice(0, 120))}`)
  }
  t.equal((JSON.parse(lines[1]!) as { big: unknown }).big, '18446744073709551617', 'a BigInt beyond 2^53 is kept exact, as a string')
  t.match(JSON.parse(lines[0]!), { circular: { name: 'loop', self: '[Circular]' } })
  t.match(JSON.parse(lines[2]!), { getter: { visible: 1, boom: /Unserializable/ } })

  // CSV: one row per record, cells clean.
  const [, ...rows] = readCsv(csv)
  t.equal(rows.length, emitted, 'one CSV row per record')
  const csvText = readFileSync(csv, 'utf8')
  t.notOk(unsafe.test(csvText), 'no raw control or bidi character in the CSV file')

  // Webhook: every record once, bodies clean JSON.
  const bodies = webhook.requests.map((request) => request.body)
  t.equal(bodies.flatMap((body) => JSON.parse(body) as unknown[]).length, emitted, 'every record delivered to the webhook')
  for (const body of bodies) if (unsafeInLine.test(body)) t.fail('raw control in a webhook body')

  // Email: one mail per record, a one-line subject, clean bodies, one recipient.
  await smtp.waitFor(emitted, 15_000)
  for (const mail of smtp.mails) {
    t.same(mail.to, ['ops@example.com'], 'recipients come from configuration only')
    const subject = mail.subject
    if (/[\r\n]/.test(subject) || unsafe.test(subject)) t.fail(`subject not one clean line: ${JSON.stringify(subject)}`)
    if (unsafe.test(mail.text) || unsafe.test(mail.html ?? '')) t.fail('raw control in a mail body')
  }
  t.equal(smtp.mails.length, emitted)

  // SMS: one message per record, bodies clean.
  const sms = twilio.messages
  t.equal(sms.length, emitted, 'one SMS per record')
  for (const message of sms) if (unsafe.test(message.fields.Body ?? '')) t.fail('raw control in an SMS body')

  // The canary: masked under its keys and as an email address, so nowhere in any output.
  const outputs = [lines.join('\n'), coloured, singleLines.join('\n'), csvText, ...bodies, ...smtp.mails.map((mail) => mail.raw), ...sms.map((message) => JSON.stringify(message.fields))]
  t.equal(outputs.filter((text) => text.includes(canary) || text.includes(canary.toLowerCase())).length, 0, 'the masked secret appears in no output')
  t.same(routed.stats().map((stats) => [stats.transport, stats.accepted, stats.delivered, stats.deadLettered]).sort(),
    [['csv', emitted, emitted, 0], ['webhook', emitted, emitted, 0], ['email', emitted, emitted, 0], ['sms', emitted, emitted, 0], ['pretty', emitted, emitted, 0]].sort(), 'stats agree (the pretty console is named pretty)')
})

t.test('a 50 MB string is cut to maxStringLength with a marker, and the record stays one line', async (t) => {
  const stdout = textSink()
  const log = createLogger({ config: false, maxStringLength: 1_000 }, stdout.stream)
  const huge = 'y'.repeat(50 * 1024 * 1024)
  t.doesNotThrow(() => { log.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i', huge }) })
  await log.close()
  const lines = stdout.lines()
  t.equal(lines.length, 1)
  const record = JSON.parse(lines[0]!) as { huge: string, item_id: string }
  t.equal(record.huge, `${'y'.repeat(1_000)}...[truncated ${50 * 1024 * 1024 - 1_000} characters]`)
  t.equal(record.item_id, 'i')
  t.throws(() => createLogger({ config: false, maxStringLength: 10 }), { name: 'ConfigError', option: 'maxStringLength' })
})
