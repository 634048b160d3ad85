// The sms transport against Twilio-compatible providers (their own account ids under their own baseUrl), and bodies without terminal sequences, through a Twilio-shaped endpoint on 127.0.0.1.
import { join } from 'node:path'
import t from 'tap'
import { createLogger } from 'daslog'
import { startSmsEndpoint, type Answer } from 'daslog/testing'
import smsTransport from '../../transports/sms.js'
import { smsOptionsSpec } from '../../transports/sms/options.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd, statsOf } from './helpers.js'

const twilioSid = 'AC' + '0123456789abcdef'.repeat(2)
/** A SignalWire project id: a UUID, its Messages API under /api/laml. */
const projectId = 'f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b'
const recipients = { authToken: 'token', from: '+15550001111', to: '+15552223333' }
const line = (record: Record<string, unknown>): string => JSON.stringify({ level: 60, time: Date.parse('2026-11-23T10:15:00Z'), pid: 1, hostname: 'h', ...record }) + '\n'
const created: Answer = { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sid: 'SM' + '0'.repeat(32), status: 'queued', num_segments: '1' }) }

t.test('a SignalWire-shaped project id with its own baseUrl is accepted, and the request path carries it', async (t) => {
  // The endpoint serves /2010-04-01/... only: the provider's /api/laml prefix gets the answer chosen here.
  const endpoint = await startSmsEndpoint({ answers: () => created })
  t.teardown(() => endpoint.close())
  const stream = await smsTransport({ ...recipients, accountSid: projectId, baseUrl: `${endpoint.baseUrl}/api/laml`, deadLetter: join(tempDir('sms'), 'dead.ndjson') })
  stream.write(line({ event: 'disk_space_low', host: 'db-1' }))
  await drainAndEnd(stream)
  t.equal(endpoint.requests.length, 1)
  const request = endpoint.requests[0]!
  t.equal(request.path, `/api/laml/2010-04-01/Accounts/${projectId}/Messages.json`)
  t.equal(Buffer.from(String(request.headers.authorization).slice('Basic '.length), 'base64').toString(), `${projectId}:token`, 'basic auth: the project id and its token')
  t.same(Object.fromEntries(new URLSearchParams(request.body)), { To: '+15552223333', From: '+15550001111', Body: '[fatal] disk_space_low: host=db-1' })
  t.match(statsOf(stream), { delivered: 1, deadLettered: 0 })
})

t.test('accountSid: AC + 32 hex at Twilio\'s own hosts (default, explicit, regional); any safe id elsewhere, percent-encoded in the path', async (t) => {
  const refusedAtTwilio: Array<[string | undefined, string]> = [
    [undefined, projectId],
    [undefined, 'AC123'],
    ['https://api.twilio.com', projectId],
    ['https://api.dublin.ie1.twilio.com', projectId],
    ['https://API.Twilio.com./', projectId]
  ]
  for (const [baseUrl, id] of refusedAtTwilio) {
    t.throws(() => smsOptionsSpec.parse({ ...recipients, accountSid: id, ...(baseUrl === undefined ? {} : { baseUrl }) }),
      { name: 'ConfigError', option: 'accountSid', problem: /"AC" followed by 32 hexadecimal digits/ }, `${id} at ${baseUrl ?? 'the default host'}`)
  }
  t.equal(smsOptionsSpec.parse({ ...recipients, accountSid: twilioSid, baseUrl: 'https://api.sydney.au1.twilio.com' }).endpoint.href,
    `https://api.sydney.au1.twilio.com/2010-04-01/Accounts/${twilioSid}/Messages.json`, 'a regional host takes an account SID')

  const signalWire = 'https://example.signalwire.com/api/laml'
  t.equal(smsOptionsSpec.parse({ ...recipients, accountSid: projectId, baseUrl: signalWire }).endpoint.href,
    `${signalWire}/2010-04-01/Accounts/${projectId}/Messages.json`)
  t.equal(smsOptionsSpec.parse({ ...recipients, accountSid: twilioSid, baseUrl: signalWire }).endpoint.href,
    `${signalWire}/2010-04-01/Accounts/${twilioSid}/Messages.json`, 'an AC SID works elsewhere too (a local endpoint)')
  t.equal(smsOptionsSpec.parse({ ...recipients, accountSid: 'compte-é~1', baseUrl: signalWire }).endpoint.pathname,
    '/api/laml/2010-04-01/Accounts/compte-%C3%A9~1/Messages.json', 'percent-encoded in the path')

  for (const id of ['a/b', '..', '.', 'a b', 'a:b', 'a?b', 'a#b', 'a\\b', 'a%2Fb', 'x\u0000', 'x\u200e', 'x'.repeat(257)]) {
    t.throws(() => smsOptionsSpec.parse({ ...recipients, accountSid: id, baseUrl: signalWire }),
      { name: 'ConfigError', option: 'accountSid', problem: /account id of the provider at example\.signalwire\.com/ }, JSON.stringify(id.slice(0, 20)))
  }
  for (const id of ['', 5]) t.throws(() => smsOptionsSpec.parse({ ...recipients, accountSid: id, baseUrl: signalWire }), { name: 'ConfigError', option: 'accountSid', problem: /non-empty string/ }, JSON.stringify(id))
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/sms', options: { ...recipients, accountSid: projectId } } }),
    { name: 'TransportConfigError', transport: 'sms', option: 'accountSid' }, 'createLogger names the transport and the option')
})

t.test('terminal sequences in an SMS body vanish whole: no [31m left behind', async (t) => {
  const endpoint = await startSmsEndpoint()
  t.teardown(() => endpoint.close())
  const stream = await smsTransport({ ...recipients, accountSid: twilioSid, baseUrl: endpoint.baseUrl, deadLetter: join(tempDir('sms'), 'dead.ndjson') })
  stream.write(line({ event: 'disk_space_low', host: '\u001b[31mdb-1\u001b[0m', note: '\u001b]0;pwned\u0007ok\u009b1m!\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\' }))
  stream.write(line({ event: 'disk_space_low', host: 'db-2' }))
  await drainAndEnd(stream)
  t.same(endpoint.messages.map((sms) => sms.body), ['[fatal] disk_space_low: host=db-1, note=ok!link', '[fatal] disk_space_low: host=db-2'])
})
