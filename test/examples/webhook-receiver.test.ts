// examples/webhook-receiver.ts: verifies what the webhook transport signs, refuses forgeries, keeps each message once.
import t from 'tap'
import { startWebhookReceiver } from '../../examples/webhook-receiver.js'
import webhookTransport from '../../transports/webhook.js'
import { messageId, signature, signingKey } from '../../transports/webhook/signature.js'
import { transportControl } from '../../transports/shared/runtime.js'
import { endTransport, writeRecords } from '../transports/helpers.js'
import { tempDir } from '../helpers.js'

const secret = 'whsec_' + Buffer.alloc(24, 3).toString('base64')

t.test('accepts signed deliveries (after a 503 it asked for), refuses forged ones, drops a replayed message id', async (t) => {
  const receiver = await startWebhookReceiver(secret, { failFirst: 1 })
  t.teardown(() => receiver.close())
  const stream = await webhookTransport({ url: receiver.url, signingSecret: secret, batch: { size: 2, intervalMs: 0 }, retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 5 }, deadLetter: `${tempDir('receiver')}/dead.ndjson` })
  writeRecords(stream, ['a', 'b'])
  await stream[transportControl].drained()
  await endTransport(stream)
  t.same(receiver.deliveries.map((delivery) => (delivery.records as Array<{ event: string }>).map((record) => record.event)), [['a', 'b']])

  const body = JSON.stringify([{ event: 'forged' }])
  const id = messageId()
  const timestamp = Math.floor(Date.now() / 1000)
  const post = (signed: string) => fetch(receiver.url, { method: 'POST', body, headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signed } })
  const wrongKey = signingKey('k', 'whsec_' + Buffer.alloc(24, 4).toString('base64'))
  t.equal((await post(signature([wrongKey], id, timestamp, Buffer.from(body)))).status, 401, 'signed with another key')
  const right = signature([signingKey('k', secret)], id, timestamp, Buffer.from(body))
  t.equal((await post(right)).status, 204)
  t.equal((await post(right)).status, 204, 'a retry of the same message is acknowledged')
  t.equal(receiver.deliveries.length, 2, '...and kept once')
  t.same(receiver.refused.map((refusal) => refusal.status), [503, 401])
})
