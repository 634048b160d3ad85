// daslog/testing's startWebhookReceiver: what the webhook transport sends arrives verified and once;
// forged, stale and malformed requests are refused; answers chosen by the test are given.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { createLogger, Events, isDaslogError } from 'daslog'
import { startWebhookReceiver } from 'daslog/testing'
import { tempDir } from '../helpers.js'

const secret = 'whsec_' + Buffer.alloc(24, 3).toString('base64')
const otherSecret = 'whsec_' + Buffer.alloc(24, 4).toString('base64')

/** A POST of `body` with Standard Webhooks headers signed by the reference implementation (not daslog's code). */
function signedPost (url: string, body: string, options: { id?: string, secret?: string, at?: Date } = {}): Promise<Response> {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`
  const at = options.at ?? new Date()
  const signature = new Webhook(options.secret ?? secret).sign(id, at, body)
  return fetch(url, { method: 'POST', body, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature } })
}

t.test('the webhook transport through a logger: retried after the 503 it was told to answer, verified, each record once', async (t) => {
  const receiver = await startWebhookReceiver({ signingSecret: secret, answers: [{ status: 503, headers: { 'retry-after': '0' } }] })
  t.teardown(() => receiver.close())
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/webhook', options: { url: receiver.url, signingSecret: secret, retry: { attempts: 3, minDelayMs: 5, maxDelayMs: 5 }, deadLetter: join(tempDir('receiver'), 'dead.ndjson') } }
  })
  log.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  log.info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
  await log.close()
  t.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+\/webhook$/)
  t.equal(receiver.requests.length, 2, 'the refused try and the retry')
  t.same(receiver.refused, [{ status: 503, reason: 'failing on purpose' }])
  t.equal(receiver.deliveries.length, 1)
  t.match(receiver.deliveries[0], { id: /^msg_/, signature: /^v1,/ })
  t.match(receiver.records, [{ event: 'auth_login_success', correlation_id: 'c-1', user_id: 'u1' }, { event: 'cache_lookup_miss', key: 'k' }])
  t.equal(receiver.records.length, 2)
})

t.test('with a signing secret: forged, stale and unsigned requests get 401; a retried message id is acknowledged and kept once', async (t) => {
  const receiver = await startWebhookReceiver({ signingSecret: [otherSecret, secret] })
  t.teardown(() => receiver.close())
  const body = JSON.stringify([{ event: 'a_b_started' }])
  t.equal((await signedPost(receiver.url, body, { secret: 'whsec_' + Buffer.alloc(24, 5).toString('base64') })).status, 401, 'signed with a key it does not know')
  t.equal((await signedPost(receiver.url, body, { at: new Date(Date.now() - 6 * 60_000) })).status, 401, 'six minutes old')
  t.equal((await fetch(receiver.url, { method: 'POST', body })).status, 401, 'unsigned')
  t.equal((await signedPost(receiver.url, body, { id: 'msg_1' })).status, 204, 'a key of the rotation')
  t.equal((await signedPost(receiver.url, body, { id: 'msg_1' })).status, 204, 'the same message again')
  t.match(receiver.refused, [
    { status: 401, reason: 'no signature matches' },
    { status: 401, reason: /^the timestamp \d+ is more than 300 s away$/ },
    { status: 401, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' }
  ])
  t.equal(receiver.refused.length, 3)
  t.same(receiver.records, [{ event: 'a_b_started' }], 'kept once')
  t.equal(receiver.requests.length, 5)
})

t.test('without a secret: any JSON object or array of them is taken; other bodies get 400; answers by list, function and hang', async (t) => {
  const receiver = await startWebhookReceiver({ answers: (request, n) => n === 3 ? 'hang' : request.body.includes('teapot') ? { status: 418 } : n === 2 ? { status: 200, body: 'ok', delayMs: 50 } : undefined })
  t.teardown(() => receiver.close())
  const post = (body: string): Promise<Response> => fetch(receiver.url, { method: 'POST', body })
  t.equal((await post('{"event":"x"}')).status, 204)
  t.equal((await post('not json')).status, 400)
  const answered = await post('[{"event":"y"},{"event":"z"}]')
  t.same([answered.status, await answered.text()], [200, 'ok'], 'a 2xx of the test still delivers')
  const hung = post('{"event":"h"}').catch((error: unknown) => error)
  await receiver.waitFor(4)
  t.equal(receiver.load.current, 1, 'one request hangs')
  t.equal((await post('{"teapot":true}')).status, 418)
  t.same(receiver.records, [{ event: 'x' }, { event: 'y' }, { event: 'z' }])
  t.same(receiver.refused, [{ status: 400, reason: 'the body is not JSON' }, { status: 418, reason: 'failing on purpose' }])
  await t.rejects(receiver.waitFor(10, 50), /^only 5 of 10 requests arrived within 50 ms$/)
  await receiver.close()
  t.ok(await hung instanceof Error, 'close() drops the hung request')
})

t.test('a bad signing secret is refused when the receiver starts, naming the option', async (t) => {
  const error = await startWebhookReceiver({ signingSecret: 'secret' }).catch((caught: unknown) => caught)
  t.ok(isDaslogError(error))
  t.match((error as Error).message, /Invalid option "signingSecret": expected a Standard Webhooks secret/)
})

t.test('examples/webhook-receiver.ts runs on its own and prints what it verified', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/webhook-receiver.ts'], { env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { child.kill() })
  let out = ''
  const printed = (pattern: RegExp): Promise<RegExpMatchArray> => new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(out)
      if (match !== null) { child.stdout.off('data', onData); resolve(match) }
    }
    const onData = (chunk: Buffer): void => { out += chunk.toString('utf8'); check() }
    child.stdout.on('data', onData)
    child.once('exit', (code) => { reject(new Error(`the example exited (${code}): ${out}`)) })
    check()
  })
  const [, url] = await printed(/listening on (\S+)\n/)
  t.equal((await signedPost(url!, '{"event":"auth_login_success"}', { id: 'msg_example' })).status, 204)
  await printed(/msg_example \[\{"event":"auth_login_success"\}\]\n/)
  child.kill()
  await once(child, 'exit')
})
