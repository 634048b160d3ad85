// Every example runs as a user would run it (tsx, its own process), exits 0,
// and prints what its comments promise.
import { join } from 'node:path'
import t from 'tap'
import type tap from 'tap'
import { runChild } from '../reliability/child.js'
import { readCsv } from '../transports/helpers.js'
import { tempDir } from '../helpers.js'

// eslint-disable-next-line no-control-regex -- the SGR colour sequences of a colourized run
const withoutColours = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '')
const records = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)

async function run (t: Pick<typeof tap, 'equal'>, example: string, args: string[] = []): Promise<string> {
  const result = await runChild(join('examples', example), args, { timeoutMs: 60_000 })
  t.equal(result.code, 0, `${example} exits 0${result.code === 0 ? '' : `: ${result.stderr.slice(-2_000)}`}`)
  return withoutColours(result.stdout)
}

t.test('npm run demo: pretty console, then what the CSV, webhook, SMTP and SMS receivers got; no secret anywhere', async (t) => {
  const out = await run(t, 'demo.ts')
  t.match(out, /^\[[0-9:.]+\] INFO: auth_login_success \{"correlation_id":"req-alice-1","user_id":"u-alice","duration_ms":38\}$/m, 'pretty console output, context bound')
  t.match(out, /^\[[0-9:.]+\] WARN: database_query_slow \{"correlation_id":"req-report-1",/m)
  t.match(out, /^\[[0-9:.]+\] INFO: events_batch \{"batched_event":"item_process_success","event_count":5,/m, 'batching')
  t.match(out, /^\[[0-9:.]+\] INFO: cache_lookup_hit \{.*"sample_rate":0\.25\}$/m, 'sampling keeps some cache hits, marked')
  t.match(out, /^ {2}time,level,event,correlation_id,user_id,username,order_id,amount,reason,duration_ms,data$/m, 'the CSV header')
  t.match(out, /^ {2}[0-9T:.Z-]+,warn,auth_login_failed,req-bob-1,,b\*\*\*@shop\.example,,,invalid_password,,/m, 'a CSV row, masked')
  t.match(out, /^ {2}refused with HTTP 503 \(failing on purpose\); daslog retried$/m)
  t.match(out, /^ {2}msg_\S+ {2}signature v1,\S+\.\.\. verified, \d+ records:$/m, 'a verified webhook delivery')
  t.match(out, /^ {2}to oncall@shop\.example: \[shop-api\] payment ORD-1042 failed: card_declined$/m, 'the alert mail')
  t.match(out, /^ {2}to oncall@shop\.example: \[error\] payment_process_failed: \d+ more in 1 s$/m, 'the storm digest')
  t.match(out, /^ {2}\+15550001111 -> \+15552223333: \[fatal\] database_connection_failed: .*host=db-primary\.internal/m, 'the SMS')
  t.match(out, /^ {2}event_name payment_process_failed, severity error, attributes log.record.uid, exception.type, exception.message, exception.stacktrace, service, .*order_id/m, 'an OTLP LogRecord, its event id as log.record.uid')
  for (const transport of ['csv', 'webhook', 'email', 'sms', 'otlp']) t.match(out, new RegExp(`^ {2}${transport} .* dead-lettered 0, dropped 0$`, 'm'))
  t.match(out, /^ {2}stored (\d+) records; the same records once more: 0 inserted, \1 duplicates/m, 'the audit store keeps each record once')
  t.match(out, /^ {4}\S+Z {2}payment_process_failed +[0-9a-f-]{36} {2}req-alice-2 {2}amount 129\.9 EUR$/m, 'found again with the query API')
  t.match(out, /^ {4}TIME +LEVEL +EVENT +CORRELATION_ID +FIELDS$/m, 'daslog query prints a table')
  t.match(out, /^ {4}\S+Z +warn +auth_login_failed +req-bob-1 +.*username=b\*\*\*@shop\.example/m)
  t.notMatch(out, /hunter2|4111 1111|alice@shop\.example/, 'masked everywhere')
  t.match(out, /Done\./)
})

t.test('npm run tour: every feature step by step', async (t) => {
  const out = await run(t, 'tour.ts')
  for (let step = 1; step <= 13; step++) t.match(out, new RegExp(`== ${step}\\. `), `step ${step} ran`)
  t.match(out, /^\| `billing_invoice_paid` \| paid \| info \| yes \| .*`payment_id` `string` \*\*required\*\* \|$/m, 'the catalog page')
  t.match(out, /^daslog: breaking: billing_invoice_paid: field "payment_id" removed$/m, 'the breaking change')
  t.match(out, /^schema_errors = \["field \\"amount\\" should be number, got string","missing required field \\"payment_id\\" \(string\)"\]$/m, 'the strict check')
  t.match(out, /^ConfigError \[DASLOG_CONFIG\]: Invalid option "levle": unknown option \(did you mean "level"\?\)$/m)
})

t.test('quick start: JSON lines with the event, the bound correlation id, timed() and the error', async (t) => {
  const lines = records(await run(t, 'quick-start.ts'))
  t.same(lines.map((record) => [record.event, record.correlation_id]), [
    ['auth_login_success', undefined],
    ['auth_login_failed', 'c-7f3a'],
    ['database_query_started', 'c-91b2'],
    ['database_query_completed', 'c-91b2'],
    ['payment_process_failed', undefined]
  ])
  t.match(lines[4], { level: 50, err: { type: 'Error', message: 'declined', cause: { type: 'Error', message: 'issuer said no' } } })
})

t.test('correlation ids through Express and node:http: taken from X-Correlation-ID or created, passed on, echoed', async (t) => {
  const out = await run(t, 'http-correlation.ts')
  const lines = records(out)
  const echoed = [...out.matchAll(/^# POST .*: 201, X-Correlation-ID: (\S+)$/gm)].map((match) => match[1])
  t.equal(echoed[0], 'c-from-the-client', 'the caller\'s id is kept and echoed')
  t.match(echoed[1], /^[0-9a-f-]{36}$/, 'a new id when the caller sent none')
  for (const id of echoed) {
    const mine = lines.filter((record) => record.correlation_id === id)
    t.same(mine.map((record) => `${String(record.service)} ${String(record.event)}`), [
      'shop api_request_started',
      'inventory api_request_started',
      'inventory inventory_reserve_success',
      'inventory api_request_completed',
      'shop order_create_success',
      'shop api_request_completed'
    ], `every record of request ${id}, in both services, carries it`)
  }
  t.equal(lines.length, 12, 'no record without its id')
})

t.test('audit trail: the custom catalog\'s audit events in CSV, one column per declared field, formulas defused', async (t) => {
  const dir = tempDir('example-audit')
  await run(t, 'audit-trail.ts', [dir])
  const [header, ...rows] = readCsv(join(dir, 'billing-audit.csv'))
  t.same(header, ['time', 'level', 'event', 'correlation_id', 'invoice_id', 'amount', 'currency', 'payment_id', 'reason', 'data'])
  t.same(rows.map((row) => row.slice(1, 9)), [
    ['info', 'billing_invoice_created', 'c-inv-1001', 'in_1001', '250', 'EUR', '', ''],
    ['error', 'billing_invoice_failed', 'c-inv-1001', 'in_1001', '250', '', '', 'card ****-****-****-1111 expired'],
    ['info', 'billing_invoice_paid', 'c-inv-1001', 'in_1001', '250', 'EUR', 'pay_77', ''],
    ['info', 'billing_invoice_created', '', '\'=HYPERLINK("http://evil.example","open me")', '1', '', '', '']
  ], 'only the audit events (not billing_sync_*), in order')
})

t.test('alerts: 250 alerts are 4 mails and 50 fatal events 4 SMS (2 recipients), everything counted delivered', async (t) => {
  const out = await run(t, 'alerts.ts')
  const mails = [...out.matchAll(/^to oncall@example\.com: (.*)$/gm)].map((match) => match[1]).sort()
  t.same(mails, [
    'Payment ORD-1 failed: gateway_timeout',
    '[error] payment_process_failed: 199 more in 1 min',
    '[fatal] database_connection_failed in payments',
    '[fatal] database_connection_failed: 49 more in 1 min'
  ])
  const sms = [...out.matchAll(/^\+15550001111 -> (\S+): (.*)$/gm)].map((match) => `${match[1]} ${match[2]!.replace(/\(last at .*\)/, '(last at …)')}`).sort()
  t.same(sms, [
    '+15552223333 [fatal] database_connection_failed: 49 more in 1 min (last at …)',
    '+15552223333 [fatal] database_connection_failed: service=payments, host=db-primary, error=ECONNREFUSED',
    '+15554445555 [fatal] database_connection_failed: 49 more in 1 min (last at …)',
    '+15554445555 [fatal] database_connection_failed: service=payments, host=db-primary, error=ECONNREFUSED'
  ])
  t.match(out, /^# email: accepted 250, delivered 250, dead-lettered 0, dropped 0$/m)
  t.match(out, /^# sms: accepted 50, delivered 50, dead-lettered 0, dropped 0$/m)
})
