// The sms transport's parts: segment counting, body cleaning, the rate limit, option checks; and one run through a real worker.
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events, TransportConfigError } from 'daslog'
import { startSmsEndpoint } from 'daslog/testing'
import { smsSegments } from '../../transports/sms/segments.js'
import { cleanBody } from '../../transports/sms/body.js'
import { RecipientRateLimit } from '../../transports/sms/rate-limit.js'
import { smsOptionsSpec } from '../../transports/sms/options.js'
import { tempDir } from '../helpers.js'
import { accountSid, authToken } from './helpers.js'

t.test('segments: GSM-7 160/153 (extension characters count twice), UCS-2 70/67', async (t) => {
  t.same(smsSegments('a'.repeat(160)), { encoding: 'GSM-7', units: 160, segments: 1 })
  t.same(smsSegments('a'.repeat(161)), { encoding: 'GSM-7', units: 161, segments: 2 })
  t.same(smsSegments('a'.repeat(306)), { encoding: 'GSM-7', units: 306, segments: 2 })
  t.same(smsSegments('€'.repeat(80)), { encoding: 'GSM-7', units: 160, segments: 1 })
  t.same(smsSegments('{'.repeat(81)), { encoding: 'GSM-7', units: 162, segments: 2 })
  t.same(smsSegments('é£ÄΩ'.repeat(40)), { encoding: 'GSM-7', units: 160, segments: 1 })
  t.same(smsSegments('ç'.repeat(70)), { encoding: 'UCS-2', units: 70, segments: 1 }, 'ç is not GSM-7 (Ç is)')
  t.same(smsSegments('a'.repeat(70) + '😀'), { encoding: 'UCS-2', units: 72, segments: 2 })
  t.same(smsSegments('…'.repeat(134)), { encoding: 'UCS-2', units: 134, segments: 2 })
})

t.test('bodies: controls stripped, line breaks kept as LF, 1600 at most', async (t) => {
  t.equal(cleanBody('a\r\nb\rc\u2028d\u0000e\u0007f\u007f\u0085g\u202eh\u2066i\tj'), 'a\nb\nc\ndefghij')
  t.equal(cleanBody('  x  '), 'x')
  t.equal(cleanBody('a'.repeat(1599) + '😀'), 'a'.repeat(1599), 'a pair that does not fit is left out whole')
})

t.test('the rate limit is a sliding window per recipient', async (t) => {
  let now = 0
  const limit = new RecipientRateLimit(2, 1000, () => now)
  limit.record('+1')
  now = 100
  limit.record('+1')
  t.equal(limit.waitMs('+1'), 900)
  t.equal(limit.waitMs('+2'), 0, 'other recipients are not held back')
  now = 950
  t.equal(limit.waitMs('+1'), 50, 'until the first send leaves the window')
  now = 1000
  t.equal(limit.waitMs('+1'), 0)
  limit.record('+1')
  t.equal(limit.waitMs('+1'), 100, 'the second send is still in it')
})

t.test('bad options name the option', async (t) => {
  const good = { accountSid, authToken, from: '+15550001111', to: '+15552223333' }
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...good, accountSid: undefined }, 'accountSid', /required/],
    [{ ...good, accountSid: 'AC123' }, 'accountSid', /32 hexadecimal/],
    [{ ...good, authToken: undefined }, 'authToken', /required/],
    [{ ...good, apiKey: { sid: 'SK' + '0'.repeat(32), secret: 's' } }, 'authToken', /not both/],
    [{ ...good, authToken: undefined, apiKey: { sid: 'x', secret: 's' } }, 'apiKey.sid', /"SK"/],
    [{ ...good, from: undefined }, 'from', /either from/],
    [{ ...good, messagingServiceSid: 'MG' + '0'.repeat(32) }, 'from', /not both/],
    [{ ...good, from: 'a very long sender id' }, 'from', /11 characters/],
    [{ ...good, to: undefined }, 'to', /required/],
    [{ ...good, to: '5552223333' }, 'to', /E\.164/],
    [{ ...good, to: ['+15552223333', '+1 555 222'] }, 'to[1]', /E\.164/],
    [{ ...good, body: '{{#each}}' }, 'body', /not a valid template/],
    [{ ...good, baseUrl: 'ftp://x' }, 'baseUrl', /http/],
    [{ ...good, rateLimit: { count: 0 } }, 'rateLimit.count', /from 1/],
    [{ ...good, throttle: {} }, 'throttle.windowMs', /required/]
  ]
  for (const [options, option, problem] of cases) t.throws(() => smsOptionsSpec.parse(options), { name: 'ConfigError', option, problem }, option)
  t.equal(smsOptionsSpec.parse({ ...good, from: 'daslog' }).sender.value, 'daslog', 'an alphanumeric sender ID')
  t.equal(smsOptionsSpec.parse({ ...good, baseUrl: 'http://127.0.0.1:9/twilio' }).endpoint.href, `http://127.0.0.1:9/twilio/2010-04-01/Accounts/${accountSid}/Messages.json`, 'a base URL with a path')
  t.equal(smsOptionsSpec.parse(good).endpoint.origin, 'https://api.twilio.com')
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/sms', options: { ...good, to: 'x' } } }), TransportConfigError)
})

t.test('critical events from a logger reach the endpoint through the worker', async (t) => {
  const endpoint = await startSmsEndpoint({ accountSid, authToken })
  t.teardown(() => endpoint.close())
  const log = createLogger({
    config: false,
    transport: { targets: [{ target: 'daslog/transports/sms', level: 'fatal', options: { accountSid, authToken, from: 'daslog', to: '+15552223333', baseUrl: endpoint.baseUrl, deadLetter: join(tempDir('sms'), 'dead.ndjson') } }] }
  })
  log.error(Events.DATABASE_QUERY_FAILED, { table: 'orders', duration_ms: 5 })
  log.bind('c-1').fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db-1', error: 'ECONNREFUSED' })
  await log.close()
  t.same(endpoint.messages.map((sms) => sms.fields), [{ To: '+15552223333', From: 'daslog', Body: '[fatal] database_connection_failed: host=db-1, error=ECONNREFUSED [c-1]' }])
  t.match(log.stats(), [{ transport: 'sms', accepted: 1, delivered: 1, segments: 1 }])
})
