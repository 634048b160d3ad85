// daslog/testing's startSmsEndpoint: the sms transport's messages arrive as Twilio would take them;
// Twilio's own refusals (URL, credentials, numbers) and the answers a test chooses.
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { startSmsEndpoint, twilioError } from 'daslog/testing'
import { tempDir } from '../helpers.js'

const accountSid = 'AC' + '5'.repeat(32)
const authToken = 'token'

t.test('the sms transport through a logger: each message with its fields and credentials, answered with a message resource', async (t) => {
  const endpoint = await startSmsEndpoint({ accountSid, authToken, answers: [twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '0' })] })
  t.teardown(() => endpoint.close())
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/sms', options: { accountSid, authToken, baseUrl: endpoint.baseUrl, from: '+15550001111', to: '+15552223333', retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 5 }, deadLetter: join(tempDir('sms-endpoint'), 'dead.ndjson') } }
  })
  log.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db-1', error: 'ECONNREFUSED' })
  await log.close()
  t.match(endpoint.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(endpoint.requests.length, 2, 'the 429 it was told to answer, then the retry')
  t.match(endpoint.messages, [{
    to: '+15552223333',
    from: '+15550001111',
    body: '[fatal] database_connection_failed: host=db-1, error=ECONNREFUSED',
    fields: { To: '+15552223333', From: '+15550001111' },
    user: accountSid,
    password: authToken,
    path: `/2010-04-01/Accounts/${accountSid}/Messages.json`,
    at: Number
  }])
  t.equal(endpoint.messages.length, 1)
  t.match(log.stats(), [{ transport: 'sms', delivered: 1, retried: 1, segments: 1 }], 'the segment count the endpoint answered')
})

t.test("Twilio's refusals: another account, wrong or missing credentials, a To that is not E.164; segments as Twilio counts them", async (t) => {
  const endpoint = await startSmsEndpoint({ accountSid, authToken })
  t.teardown(() => endpoint.close())
  const send = async (fields: Record<string, string>, options: { sid?: string, password?: string, auth?: boolean } = {}): Promise<[number, Record<string, unknown>]> => {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (options.auth !== false) headers.authorization = `Basic ${Buffer.from(`${accountSid}:${options.password ?? authToken}`).toString('base64')}`
    const response = await fetch(`${endpoint.baseUrl}/2010-04-01/Accounts/${options.sid ?? accountSid}/Messages.json`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() })
    return [response.status, await response.json() as Record<string, unknown>]
  }
  const good = { To: '+15552223333', From: '+15550001111', Body: 'hello' }
  t.match(await send(good, { sid: 'AC' + '6'.repeat(32) }), [404, { code: 20404 }])
  t.match(await send(good, { password: 'wrong' }), [401, { code: 20003, message: 'Authenticate' }])
  t.match(await send(good, { auth: false }), [401, { code: 20003 }])
  t.match(await send({ ...good, To: '5552223333' }), [400, { code: 21211, message: "The 'To' number 5552223333 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 }])
  t.match(await send(good), [201, { sid: /^SM\d{32}$/, status: 'queued', to: '+15552223333', num_segments: '1' }])
  t.match(await send({ ...good, Body: 'x'.repeat(161) }), [201, { num_segments: '2' }], 'GSM-7: 153 per part')
  t.match(await send({ ...good, Body: 'é😀'.repeat(30) }), [201, { num_segments: '2' }], 'UCS-2: 67 per part')
  t.equal(endpoint.messages.length, 3)
  await endpoint.waitFor(7)
})

t.test('without credentials configured any basic auth is taken (an API key, say), and recorded', async (t) => {
  const endpoint = await startSmsEndpoint()
  t.teardown(() => endpoint.close())
  const response = await fetch(`${endpoint.baseUrl}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('SKkey:secret:with:colons').toString('base64')}` },
    body: new URLSearchParams({ To: '+447700900123', MessagingServiceSid: 'MG1', Body: 'b' }).toString()
  })
  t.equal(response.status, 201)
  t.match(endpoint.messages, [{ user: 'SKkey', password: 'secret:with:colons', from: 'MG1', to: '+447700900123' }])
})
