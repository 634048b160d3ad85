import { chosenAnswer, startLocalServer, waitForCount, type Answer, type Answers, type ListenOptions, type Load, type ReceivedRequest } from './local-server.js'

export interface SmsEndpointOptions extends Omit<ListenOptions, 'tls'> {
  /** When given, only this account's Messages URL is served (others get Twilio's 404). */
  readonly accountSid?: string
  /** When given with `accountSid`, basic auth must be the account SID and this token (else Twilio's 401). */
  readonly authToken?: string
  /**
   * Answers of your choosing, before the endpoint's own checks: a list for
   * the first requests, or a function of the message and its number
   * (`twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' })`).
   */
  readonly answers?: Answers<SmsMessage>
}

/** One message as the endpoint read it: the form fields and the basic-auth user and password. */
export interface SmsMessage {
  readonly to: string
  /** `From`, or the `MessagingServiceSid` when sent through a messaging service. */
  readonly from: string
  readonly body: string
  /** Every form field as sent (`To`, `From` or `MessagingServiceSid`, `Body`). */
  readonly fields: Readonly<Record<string, string>>
  readonly user: string
  readonly password: string
  readonly path: string
  readonly at: number
}

export interface SmsEndpoint {
  /** The `baseUrl` to give the sms transport (`http://127.0.0.1:<port>`). */
  readonly baseUrl: string
  readonly port: number
  /** The messages accepted (answered 201), in order. */
  readonly messages: readonly SmsMessage[]
  /** Every request, in the order it arrived, refused ones included. */
  readonly requests: readonly ReceivedRequest[]
  readonly load: Load
  /** Resolves once `count` requests arrived (refused ones count); rejects after `timeoutMs` (10 s). */
  waitFor (count: number, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

/** Twilio's error answer: `{ code, message, more_info, status }` as JSON, with the HTTP status. */
export function twilioError (status: number, code: number, message: string, headers: Readonly<Record<string, string>> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }) }
}

const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/
/** The characters of the GSM-7 alphabet (a message with any other is sent as UCS-2). */
const notGsm7 = /[^\n\r !-~£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€]/

/**
 * An endpoint on 127.0.0.1 that speaks the Twilio Messages API, for trying
 * and testing the sms transport without a Twilio account (give its
 * `baseUrl`): it takes `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * form-encoded with basic auth and answers like Twilio, 201 and a message
 * resource (`num_segments` counted as Twilio counts them), or Twilio's JSON
 * error for a bad URL, missing or wrong credentials, or a `To` that is not
 * an E.164 number.
 */
export async function startSmsEndpoint (options: SmsEndpointOptions = {}): Promise<SmsEndpoint> {
  const messages: SmsMessage[] = []
  const server = await startLocalServer((request, n) => {
    const message = parse(request)
    const chosen = chosenAnswer(options.answers, message, n)
    if (chosen !== undefined) return chosen
    const account = messagesPath.exec(request.path.split('?')[0] ?? '')?.[1]
    if (account === undefined || (options.accountSid !== undefined && account !== options.accountSid)) return twilioError(404, 20404, 'The requested resource was not found')
    if (message.user === '' || (options.authToken !== undefined && (message.user !== options.accountSid || message.password !== options.authToken))) {
      return twilioError(401, 20003, 'Authenticate')
    }
    if (!/^\+[1-9]\d{6,14}$/.test(message.to)) return twilioError(400, 21211, `The 'To' number ${message.to} is not a valid phone number.`)
    messages.push(message)
    return {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', to: message.to, from: message.from, body: message.body, num_segments: String(segments(message.body)) })
    }
  }, options)
  return {
    baseUrl: server.origin,
    port: server.port,
    messages,
    requests: server.requests,
    load: server.load,
    waitFor: (count, timeoutMs) => waitForCount(() => server.requests.length, count, 'requests', timeoutMs),
    close: () => server.close()
  }
}

function parse (request: ReceivedRequest): SmsMessage {
  const authorization = String(request.headers.authorization ?? '')
  const credentials = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice('Basic '.length), 'base64').toString() : ''
  const colon = credentials.indexOf(':')
  const [user, password] = colon === -1 ? [credentials, ''] : [credentials.slice(0, colon), credentials.slice(colon + 1)]
  const fields = Object.fromEntries(new URLSearchParams(request.body))
  return { to: fields.To ?? '', from: fields.From ?? fields.MessagingServiceSid ?? '', body: fields.Body ?? '', fields, user, password, path: request.path, at: request.at }
}

/** How many segments Twilio bills for a body: GSM-7 160 characters in one, 153 per part; UCS-2 70, 67 per part. */
function segments (body: string): number {
  const [single, part] = notGsm7.test(body) ? [70, 67] : [160, 153]
  return body.length <= single ? 1 : Math.ceil(body.length / part)
}
