// A webhook endpoint that verifies daslog's Standard Webhooks signatures and
// keeps each message once (daslog/testing's startWebhookReceiver), printing
// what it accepts. Point the webhook transport's `url` at it:
//   WEBHOOK_SECRET=whsec_... npx tsx examples/webhook-receiver.ts   (127.0.0.1:8080; PORT=... for another port)
import { startWebhookReceiver } from 'daslog/testing'

const secret = process.env.WEBHOOK_SECRET
if (secret === undefined) {
  console.error('Set WEBHOOK_SECRET to the whsec_ secret daslog signs with.')
  process.exit(2)
}
const receiver = await startWebhookReceiver({ signingSecret: secret, port: Number(process.env.PORT ?? 8080) })
console.log(`listening on ${receiver.url}`)
let printed = { deliveries: 0, refused: 0 }
setInterval(() => {
  for (const delivery of receiver.deliveries.slice(printed.deliveries)) console.log(delivery.id, JSON.stringify(delivery.records))
  for (const refusal of receiver.refused.slice(printed.refused)) console.log(`refused: HTTP ${refusal.status} (${refusal.reason})`)
  printed = { deliveries: receiver.deliveries.length, refused: receiver.refused.length }
}, 200)
