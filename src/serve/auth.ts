import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { signature } from '../../transports/webhook/signature.js'
import type { ServeOptions } from './options.js'

/** What the headers alone decide: let in, wait for the body to check a webhook signature, or refuse. */
export type Credentials = 'granted' | 'signed' | 'denied'

/** Signatures older or newer than this are refused (Standard Webhooks' replay window). */
export const toleranceSeconds = 5 * 60

/**
 * Digests of equal length compared in constant time: neither the secret's
 * length nor where it first differs shows in the time taken.
 */
const digest = (text: string | Buffer): Buffer => createHash('sha256').update(text).digest()
const strictBase64 = /^[A-Za-z0-9+/]+={0,2}$/
const same = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b)

/** The checks of one server: bearer tokens, basic auth, Standard Webhooks signatures; none configured lets everything in. */
export function authenticator (options: Pick<ServeOptions, 'tokens' | 'basic' | 'signingKeys'>): {
  credentials: (headers: IncomingHttpHeaders) => Credentials
  verifySignature: (headers: IncomingHttpHeaders, body: Buffer, nowSeconds?: number) => string | undefined
} {
  const tokens = options.tokens.map((token) => digest(token))
  const basic = options.basic === undefined ? undefined : digest(`${options.basic.user}:${options.basic.password}`)
  const keys = options.signingKeys
  const open = tokens.length === 0 && basic === undefined && keys.length === 0

  const credentials = (headers: IncomingHttpHeaders): Credentials => {
    if (open) return 'granted'
    const authorization = headers.authorization ?? ''
    const space = authorization.indexOf(' ')
    const scheme = authorization.slice(0, space).toLowerCase()
    const value = authorization.slice(space + 1).trim()
    if (scheme === 'bearer' && tokens.length > 0) {
      const given = digest(value)
      // Every token is compared, so the time does not tell which one matched.
      let found = false
      for (const token of tokens) found = same(token, given) || found
      if (found) return 'granted'
    }
    // Strict base64: Buffer.from would read past stray characters and still match.
    if (scheme === 'basic' && basic !== undefined && strictBase64.test(value) && value.length % 4 === 0 && same(basic, digest(Buffer.from(value, 'base64')))) return 'granted'
    if (keys.length > 0 && headers['webhook-signature'] !== undefined) return 'signed'
    return 'denied'
  }

  /** Undefined when a signature of the raw body is valid and recent, else why not. */
  const verifySignature = (headers: IncomingHttpHeaders, body: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): string | undefined => {
    const id = headers['webhook-id']
    const timestamp = headers['webhook-timestamp']
    const signatures = headers['webhook-signature']
    if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return 'webhook-id, webhook-timestamp and webhook-signature are all needed'
    if (!/^\d{1,15}$/.test(timestamp)) return 'webhook-timestamp is not a time in seconds'
    const sent = Number(timestamp)
    if (Math.abs(nowSeconds - sent) > toleranceSeconds) return `webhook-timestamp is more than ${toleranceSeconds / 60} minutes away from now`
    const given = signatures.split(' ').filter((entry) => entry.startsWith('v1,')).map((entry) => digest(entry))
    let valid = false
    for (const key of keys) {
      const expected = digest(signature([key], id, sent, body))
      for (const candidate of given) valid = same(expected, candidate) || valid
    }
    return valid ? undefined : 'no webhook-signature matches the body'
  }

  return { credentials, verifySignature }
}
