// A webhook receiver that verifies daslog's Standard Webhooks signatures and
// drops retried duplicates by webhook-id. Run it on its own:
//   WEBHOOK_SECRET=whsec_... npx tsx examples/webhook-receiver.ts   (listens on 127.0.0.1:8080)
// or start it from code (the demo does) with startWebhookReceiver().
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Webhook } from 'standardwebhooks'

/** One request the receiver accepted: its message id and its records (a batch's array, or one record). */
export interface Delivery {
  readonly id: string
  /** The `webhook-signature` header the receiver verified (`v1,<base64>`). */
  readonly signature: string
  readonly records: readonly unknown[]
}

export interface WebhookReceiver {
  readonly url: string
  /** Verified deliveries, each message once. */
  readonly deliveries: Delivery[]
  /** Requests refused: bad or missing signature (401), or failed on purpose (503). */
  readonly refused: Array<{ readonly status: number, readonly reason: string }>
  close (): Promise<void>
}

export interface ReceiverOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Answer 503 to the first n requests, to watch daslog retry them. */
  readonly failFirst?: number
}

export async function startWebhookReceiver (secret: string, options: ReceiverOptions = {}): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret)
  const deliveries: Delivery[] = []
  const refused: Array<{ status: number, reason: string }> = []
  const seen = new Set<string>()
  let requests = 0
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { body += chunk })
    request.on('end', () => {
      if (++requests <= (options.failFirst ?? 0)) {
        refused.push({ status: 503, reason: 'failing on purpose' })
        response.writeHead(503, { 'retry-after': '0' }).end()
        return
      }
      let payload: unknown
      try {
        // Verify the body exactly as received; this also refuses timestamps more than 5 minutes off.
        payload = verifier.verify(body, headersOf(request.headers))
      } catch (error) {
        refused.push({ status: 401, reason: (error as Error).message })
        response.writeHead(401).end()
        return
      }
      const id = String(request.headers['webhook-id'])
      if (!seen.has(id)) {
        seen.add(id)
        deliveries.push({ id, signature: String(request.headers['webhook-signature']), records: Array.isArray(payload) ? payload : [payload] })
      }
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/daslog`,
    deliveries,
    refused,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => { resolve() })
    })
  }
}

/** Node's headers as the plain string map the verifier takes. */
function headersOf (headers: IncomingHttpHeaders): Record<string, string> {
  const plain: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) plain[name] = Array.isArray(value) ? value.join(', ') : value
  return plain
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secret = process.env.WEBHOOK_SECRET
  if (secret === undefined) {
    console.error('Set WEBHOOK_SECRET to the whsec_ secret daslog signs with.')
    process.exit(2)
  }
  const receiver = await startWebhookReceiver(secret, { port: Number(process.env.PORT ?? 8080) })
  console.log(`listening on ${receiver.url}`)
  setInterval(() => {
    for (const delivery of receiver.deliveries.splice(0)) console.log(delivery.id, JSON.stringify(delivery.records))
  }, 500)
}
