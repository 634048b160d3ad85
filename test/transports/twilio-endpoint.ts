import { startReceiver, type Answer, type Receiver } from './http-receiver.js'

export const accountSid = 'AC' + 'a'.repeat(32)
export const authToken = 'test-auth-token'

/** One message the endpoint took: the form fields and the basic-auth user and password. */
export interface SentSms {
  readonly fields: Record<string, string>
  readonly user: string
  readonly password: string
  readonly path: string
}

/** Twilio's error answer shape. */
export function twilioError (status: number, code: number, message: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }) }
}

/**
 * A Twilio-shaped Messages endpoint on 127.0.0.1: answers 201 with a message
 * resource (num_segments counted as Twilio would), or what `answer` says for
 * request n. `messages` are the requests it accepted.
 */
export async function startTwilioEndpoint (answer: (sms: SentSms, n: number) => Answer | undefined = () => undefined): Promise<Receiver & { messages: () => SentSms[], baseUrl: string }> {
  const accepted = new Set<number>()
  const parse = (request: { headers: Record<string, unknown>, body: string, path: string }): SentSms => {
    const [user = '', password = ''] = Buffer.from(String(request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
    return { fields: Object.fromEntries(new URLSearchParams(request.body)), user, password, path: request.path }
  }
  const receiver = await startReceiver((request, n) => {
    const sms = parse(request as never)
    const custom = answer(sms, n)
    if (custom !== undefined) return custom
    accepted.add(n)
    const body = sms.fields.Body ?? ''
    const ucs2 = /[^\n\r !-~£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€]/.test(body)
    const segments = ucs2 ? (body.length <= 70 ? 1 : Math.ceil(body.length / 67)) : (body.length <= 160 ? 1 : Math.ceil(body.length / 153))
    return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', to: sms.fields.To, body, num_segments: String(segments) }) }
  })
  return Object.assign(receiver, {
    baseUrl: receiver.url.replace(/\/hook$/, ''),
    messages: () => receiver.received.filter((_request, n) => accepted.has(n)).map((request) => parse(request as never))
  })
}
