import { ConfigError } from '../../src/errors.js'
import { describe, integerFieldsOption, optionObject, stringListOption, stringOption, urlOption } from '../../src/config/option-checks.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'
import { throttleOption, type ThrottleOptions } from '../shared/throttle.js'
import { checkTemplate } from '../shared/template.js'
import { defaultBody } from './body.js'

export interface SmsOptions extends NetworkOptions {
  readonly accountSid: string
  /** Basic auth: the account SID and auth token, or an API key's SID and secret. */
  readonly username: string
  readonly password: string
  /** The sender: a phone number or alphanumeric ID (`From`), or a messaging service (`MessagingServiceSid`). */
  readonly sender: { readonly field: 'From' | 'MessagingServiceSid', readonly value: string }
  readonly to: readonly string[]
  readonly body: string
  /** `{baseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json` */
  readonly endpoint: URL
  readonly throttle: ThrottleOptions | undefined
  /** At most `count` messages to one recipient per `windowMs`; more wait. */
  readonly rateLimit: { readonly count: number, readonly windowMs: number } | undefined
}

export const defaultBaseUrl = 'https://api.twilio.com'
export const defaultRateLimit = { count: 20, windowMs: 60_000 }
const e164 = /^\+[1-9]\d{6,14}$/

function sidOption (option: string, value: unknown, prefix: string): string {
  const sid = stringOption(option, value)
  if (!new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(sid)) throw new ConfigError(option, `expected "${prefix}" followed by 32 hexadecimal digits, got ${JSON.stringify(sid.slice(0, 40))}`)
  return sid
}

function phoneOption (option: string, value: unknown): string {
  const phone = stringOption(option, value)
  if (!e164.test(phone)) throw new ConfigError(option, `expected a phone number in E.164 form (+15551234567), got ${JSON.stringify(phone)}`)
  return phone
}

function senderOption (options: Record<string, unknown>): SmsOptions['sender'] {
  if ((options.from === undefined) === (options.messagingServiceSid === undefined)) throw new ConfigError('from', 'give either from (a phone number or sender ID) or messagingServiceSid, not both')
  if (options.messagingServiceSid !== undefined) return { field: 'MessagingServiceSid', value: sidOption('messagingServiceSid', options.messagingServiceSid, 'MG') }
  const from = stringOption('from', options.from)
  // A phone number, or an alphanumeric sender ID (1-11 letters, digits and spaces, at least one letter).
  if (!e164.test(from) && !/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from)) throw new ConfigError('from', `expected an E.164 phone number or an alphanumeric sender ID of at most 11 characters, got ${JSON.stringify(from)}`)
  return { field: 'From', value: from }
}

function credentials (options: Record<string, unknown>, accountSid: string): { username: string, password: string } {
  if (options.apiKey !== undefined) {
    if (options.authToken !== undefined) throw new ConfigError('authToken', 'give either authToken or apiKey, not both')
    const key = optionObject('apiKey', options.apiKey, ['sid', 'secret'])
    return { username: sidOption('apiKey.sid', key.sid, 'SK'), password: stringOption('apiKey.secret', key.secret) }
  }
  if (options.authToken === undefined) throw new ConfigError('authToken', 'the auth token (or an apiKey: { sid, secret }) is required')
  return { username: accountSid, password: stringOption('authToken', options.authToken) }
}

/**
 * Twilio's own API hosts: `api.twilio.com` (the default) and the regional
 * ones (`api.dublin.ie1.twilio.com`, ...), where every account SID is `AC`
 * and 32 hex digits.
 */
function isTwilioHost (url: URL): boolean {
  const host = url.hostname.replace(/\.$/, '')
  return host === 'twilio.com' || host.endsWith('.twilio.com')
}

/** Characters an account id of another provider may not hold: it is one path segment and the basic-auth user. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const notInAccountId = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff/\\?#:%]/

/**
 * The account id: at Twilio's own hosts an account SID (`AC` + 32 hex);
 * at any other `baseUrl` (a Twilio-compatible provider: SignalWire's project
 * UUID under `/api/laml`, a local endpoint) any id that is one safe path
 * segment, since those providers have ids of their own.
 */
function accountSidOption (value: unknown, base: URL): string {
  if (isTwilioHost(base)) return sidOption('accountSid', value, 'AC')
  const id = stringOption('accountSid', value)
  if (id.length > 256 || notInAccountId.test(id) || /^\.{1,2}$/.test(id)) {
    throw new ConfigError('accountSid', `expected the account id of the provider at ${base.host}: 1 to 256 characters, without spaces, control characters or / \\ ? # : %, got ${JSON.stringify(id.slice(0, 40))}`)
  }
  return id
}

/** The Messages resource under `baseUrl`, which may have a path of its own; the account id is percent-encoded into it. */
function endpointOption (base: URL, accountSid: string): URL {
  const url = new URL(base)
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return new URL(`2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, url)
}

function rateLimitOption (value: unknown): SmsOptions['rateLimit'] {
  if (value === false) return undefined
  if (value === undefined) return defaultRateLimit
  return integerFieldsOption('rateLimit', value, {
    count: { fallback: defaultRateLimit.count, min: 1, max: 10_000 },
    windowMs: { fallback: defaultRateLimit.windowMs, min: 1, max: 24 * 3_600_000 }
  })
}

export const smsOptionsSpec: OptionsSpec<SmsOptions> = {
  kind: 'sms',
  optionNames: ['accountSid', 'authToken', 'apiKey', 'from', 'messagingServiceSid', 'to', 'body', 'baseUrl', 'throttle', 'rateLimit', ...networkOptionNames],
  parse (options) {
    if (options.accountSid === undefined) throw new ConfigError('accountSid', 'the account SID (AC... at Twilio, or the account id of a Twilio-compatible provider at baseUrl) is required')
    const base = urlOption('baseUrl', options.baseUrl ?? defaultBaseUrl, ['http:', 'https:'])
    const accountSid = accountSidOption(options.accountSid, base)
    if (options.to === undefined) throw new ConfigError('to', 'at least one recipient phone number is required')
    const to = stringListOption('to', options.to, true).map((phone, i) => phoneOption(Array.isArray(options.to) ? `to[${i}]` : 'to', phone))
    if (options.body !== undefined && typeof options.body !== 'string') throw new ConfigError('body', `expected a template string, got ${describe(options.body)}`)
    return {
      accountSid,
      ...credentials(options, accountSid),
      sender: senderOption(options),
      to,
      body: options.body === undefined ? defaultBody : checkTemplate('body', options.body, false),
      endpoint: endpointOption(base, accountSid),
      throttle: throttleOption(options.throttle),
      rateLimit: rateLimitOption(options.rateLimit),
      ...networkOptions(options)
    }
  },
  describe: (options) => `${options.sender.value} via ${options.endpoint.host}`,
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('sms', options.sender.value.replace(/^\+/, ''))
}
