import { createHmac, randomBytes } from 'node:crypto'
import { ConfigError } from '../../src/errors.js'
import { describe } from '../../src/config/option-checks.js'

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a message has
 * an id (the same on every retry), a timestamp (seconds, new on every
 * attempt) and a signature per key, `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, space-separated when several keys are in rotation.
 */

const secretPrefix = 'whsec_'
const minKeyBytes = 16

/** A `whsec_<base64>` secret's key bytes, checked. */
export function signingKey (option: string, secret: unknown): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(secretPrefix)) {
    throw new ConfigError(option, `expected a Standard Webhooks secret, "whsec_" followed by base64, got ${typeof secret === 'string' ? 'a string without the whsec_ prefix' : describe(secret)}`)
  }
  const encoded = secret.slice(secretPrefix.length)
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 === 1) throw new ConfigError(option, 'the part after "whsec_" is not base64')
  const key = Buffer.from(encoded, 'base64')
  if (key.length < minKeyBytes) throw new ConfigError(option, `the key is ${key.length} bytes; at least ${minKeyBytes} are needed (e.g. "whsec_" + 32 random bytes in base64)`)
  return key
}

/** A new message id: `msg_` and 128 random bits. */
export function messageId (): string {
  return `msg_${randomBytes(16).toString('base64url')}`
}

/** The `webhook-signature` header value for one attempt. */
export function signature (keys: readonly Buffer[], id: string, timestamp: number, body: Buffer): string {
  const prefix = `${id}.${timestamp}.`
  return keys.map((key) => `v1,${createHmac('sha256', key).update(prefix).update(body).digest('base64')}`).join(' ')
}
