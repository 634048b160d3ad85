// A local endpoint that speaks the Twilio Messages API, for trying the sms
// transport without a Twilio account: point `baseUrl` at it. It checks basic
// auth, takes the form fields, and answers like Twilio (201 and a message
// resource, or Twilio's JSON error for a bad request).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedSms {
  readonly to: string
  readonly from: string
  readonly body: string
}

export interface LocalSmsEndpoint {
  /** The `baseUrl` to configure. */
  readonly baseUrl: string
  readonly messages: ReceivedSms[]
  close (): Promise<void>
}

export async function startLocalSmsEndpoint (accountSid: string, authToken: string): Promise<LocalSmsEndpoint> {
  const messages: ReceivedSms[] = []
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
  const server = createServer((request, response) => {
    let text = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { text += chunk })
    request.on('end', () => {
      const reply = (status: number, body: object): void => { response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }
      if (request.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return reply(404, { code: 20404, message: 'The requested resource was not found', status: 404 })
      if (request.headers.authorization !== expected) return reply(401, { code: 20003, message: 'Authenticate', status: 401 })
      const form = new URLSearchParams(text)
      const to = form.get('To') ?? ''
      if (!/^\+[1-9]\d{6,14}$/.test(to)) return reply(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 })
      const sms = { to, from: form.get('From') ?? form.get('MessagingServiceSid') ?? '', body: form.get('Body') ?? '' }
      messages.push(sms)
      reply(201, { sid: `SM${String(messages.length).padStart(32, '0')}`, status: 'queued', ...sms })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => { resolve() })
    })
  }
}
