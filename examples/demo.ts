// npm run demo: daslog doing its whole job on one machine, with nothing but
// npm packages. It starts daslog/testing's three local receivers on 127.0.0.1
// (a webhook endpoint that verifies Standard Webhooks signatures, an SMTP
// server and a Twilio-shaped SMS API) and a fourth webhook receiver standing in
// for an OpenTelemetry Collector (OTLP/JSON), points examples/demo/pino.config.mjs at them, runs
// a small shop service (examples/demo/shop-service.ts) with pretty console
// output, then prints what each destination received. Last, the records the
// webhook received go into an audit store, an embedded PostgreSQL (PGlite)
// in a temporary folder, and are found again with the query API and with
// `daslog query`.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createLogger } from 'daslog'
import { openStore } from 'daslog/store'
import { runShop } from './demo/shop-service.js'
import { startSmsEndpoint, startSmtpInbox, startWebhookReceiver } from 'daslog/testing'

const bold = (text: string): string => process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text
const heading = (text: string): void => { console.log(`\n${bold(`== ${text}`)}`) }
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
const clip = (text: string, width = 150): string => text.length > width ? `${text.slice(0, width - 3)}...` : text

// 1. The receivers, and their addresses for the config file.
const secret = 'whsec_' + Buffer.from('the demo signing secret, 32 byte').toString('base64')
const accountSid = 'AC' + 'de70'.repeat(8)
const authToken = 'demo-auth-token'
const webhook = await startWebhookReceiver({ signingSecret: secret, answers: [{ status: 503, headers: { 'retry-after': '0' } }] })
const inbox = await startSmtpInbox()
const sms = await startSmsEndpoint({ accountSid, authToken })
// An OpenTelemetry Collector's OTLP/HTTP endpoint, as far as the demo needs one: it keeps what is POSTed to /v1/logs.
const collector = await startWebhookReceiver()
const collectorUrl = collector.url.replace(/\/webhook$/, '/v1/logs')
const dir = mkdtempSync(join(tmpdir(), 'daslog-demo-'))
Object.assign(process.env, {
  DEMO_DIR: dir,
  DEMO_WEBHOOK_URL: webhook.url,
  DEMO_WEBHOOK_SECRET: secret,
  DEMO_SMTP_HOST: '127.0.0.1',
  DEMO_SMTP_PORT: String(inbox.port),
  DEMO_TWILIO_ACCOUNT_SID: accountSid,
  DEMO_TWILIO_AUTH_TOKEN: authToken,
  DEMO_TWILIO_BASE_URL: sms.baseUrl,
  DEMO_OTLP_URL: collectorUrl
})
// The audit store's folder is made by `daslog schema --data <folder>` in a process of its own, started now:
// a fresh PGlite folder takes several seconds to create, and this way it happens while the shop runs.
const storeDir = join(dir, 'audit-store')
const root = fileURLToPath(new URL('..', import.meta.url))
const daslogCommand = async (...args: string[]): Promise<string> =>
  (await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'src/cli/daslog.ts'), ...args], { cwd: root, timeout: 120_000 })).stdout
const storeMade = daslogCommand('schema', '--data', storeDir)

heading('The shop service runs, logging through examples/demo/pino.config.mjs (pretty console; CSV, webhook, email, SMS and OTLP in the worker)')
console.log(`webhook receiver ${webhook.url} (its first answer is a 503, to show a retry), SMTP 127.0.0.1:${inbox.port}, SMS API ${sms.baseUrl}, OTLP ${collectorUrl}, files in ${dir}`)
console.log(`meanwhile, in another process, daslog schema --data ${storeDir} creates the embedded audit store (PGlite: a few seconds for a fresh folder)\n`)

// 2. The service, then close(): it resolves once every transport delivered (or dead-lettered) everything.
const log = createLogger({ config: fileURLToPath(new URL('./demo/pino.config.mjs', import.meta.url)) })
// The files go when the demo ends, however it ends; registered after createLogger, this runs after daslog's own exit flush.
process.on('exit', () => { rmSync(dir, { recursive: true, force: true }) })
await runShop(log)
await log.close()
await Promise.all([webhook.close(), inbox.close(), sms.close(), collector.close()])

// 3. What each destination received.
heading(`CSV: ${join(dir, 'audit.csv')}`)
const [header, ...rows] = readFileSync(join(dir, 'audit.csv'), 'utf8').trimEnd().split('\r\n')
console.log(`  ${header}`)
for (const row of rows) console.log(`  ${clip(row)}`)

heading(`Webhook: ${count(webhook.deliveries.length, 'signed delivery', 'signed deliveries')} verified by the receiver`)
for (const refusal of webhook.refused) console.log(`  refused with HTTP ${refusal.status} (${refusal.reason}); daslog retried`)
for (const delivery of webhook.deliveries) {
  const records = delivery.records as Array<{ event: string, correlation_id?: string }>
  console.log(`  ${delivery.id}  signature ${delivery.signature.slice(0, 18)}... verified, ${records.length} records:`)
  for (const record of records) console.log(`    ${record.event}${record.correlation_id === undefined ? '' : ` (${record.correlation_id})`}`)
}

heading(`Email: ${count(inbox.mails.length, 'mail')} accepted by the SMTP server`)
for (const mail of inbox.mails) console.log(`  to ${mail.to.join(', ')}: ${mail.subject}`)

heading(`SMS: ${count(sms.messages.length, 'message')} accepted by the Twilio-shaped API`)
for (const message of sms.messages) console.log(`  ${message.from} -> ${message.to}: ${message.body}`)

interface OtlpLogRecord { eventName: string, severityText: string, attributes: Array<{ key: string }> }
const otlpRecords = collector.requests.flatMap((request) => (JSON.parse(request.body) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: OtlpLogRecord[] }> }> })
  .resourceLogs.flatMap((resource) => resource.scopeLogs.flatMap((scope) => scope.logRecords)))
heading(`OpenTelemetry: ${count(otlpRecords.length, 'OTLP LogRecord')} in ${count(collector.requests.length, 'ExportLogsServiceRequest')} (OTLP/JSON, docs/opentelemetry.md)`)
for (const record of otlpRecords.slice(0, 5)) console.log(`  event_name ${record.eventName}, severity ${record.severityText}, attributes ${record.attributes.map((a) => a.key).join(', ')}`)
if (otlpRecords.length > 5) console.log(`  ... and ${otlpRecords.length - 5} more`)

heading(`Audit store: what the webhook received, stored in an embedded PostgreSQL (PGlite) in ${storeDir}`)
console.log(`  ${(await storeMade).trim()}`)
const store = await openStore({ dir: storeDir })
const received = webhook.deliveries.flatMap((delivery) => delivery.records)
const stored = await store.insert(received)
const storedAgain = await store.insert(received)
console.log(`  stored ${count(stored.inserted, 'record')}; the same records once more: ${storedAgain.inserted} inserted, ${storedAgain.duplicates} duplicates (each record's event_id is the key)`)
console.log("  store.query({ event: 'payment_*', where: { order_id: 'ORD-1042' } }):")
const found = await store.query({ event: 'payment_*', where: { order_id: 'ORD-1042' } })
for (const event of found.events) console.log(`    ${String(event.time)}  ${String(event.event).padEnd(24)} ${String(event.event_id)}  ${String(event.correlation_id)}  amount ${String(event.amount)} ${String(event.currency)}`)
await store.close()
console.log(`  $ daslog query --data ${storeDir} --event 'auth_*' --limit 3`)
const queried = await daslogCommand('query', '--data', storeDir, '--event', 'auth_*', '--limit', '3')
for (const line of queried.trimEnd().split('\n')) console.log(`    ${clip(line)}`)

heading('Delivery stats: accepted = delivered + dead-lettered + dropped, for every transport')
for (const s of log.stats()) {
  console.log(`  ${s.transport.padEnd(8)} ${clip(s.name, 48).padEnd(50)} accepted ${s.accepted}, delivered ${s.delivered}, retried ${s.retried}, dead-lettered ${s.deadLettered}, dropped ${s.dropped}`)
}

// The demo checks itself, so a broken feature cannot pass unnoticed in CI.
const problems = [
  rows.length === 0 && 'the CSV file has no rows',
  webhook.deliveries.length === 0 && 'the webhook received nothing',
  inbox.mails.length === 0 && 'no mail arrived',
  sms.messages.length === 0 && 'no SMS arrived',
  (stored.inserted !== received.length || storedAgain.inserted !== 0) && 'the audit store did not store each record once',
  found.events.length === 0 && 'the audit store found nothing',
  !queried.includes('auth_login_') && 'daslog query found nothing',
  otlpRecords.length === 0 && 'the OTLP endpoint received nothing',
  log.stats().some((s) => s.accepted !== s.delivered) && 'a transport did not deliver everything'
].filter((problem): problem is string => typeof problem === 'string')
if (problems.length > 0) {
  console.error(`\ndemo failed: ${problems.join('; ')}`)
  process.exitCode = 1
} else {
  console.log(`\n${bold('Done.')} Next: README.md, docs/, and the other examples (npm run tour walks through every feature).`)
}
