import type { AddressInfo } from 'node:net'
import { waitForCount } from './local-server.js'

/** An SMTP error answer: a reply code (4xx: try again later, 5xx: refused for good) and its text. */
export interface SmtpAnswer {
  readonly code: number
  readonly message: string
}

export interface SmtpInboxOptions {
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number
  /** Called for every `RCPT TO` (n counts them across all mails, 0-based): an answer refuses that recipient, undefined accepts it. */
  readonly rcpt?: (address: string, n: number) => SmtpAnswer | undefined
  /** Called for every message after `DATA` (n counts them, 0-based): an answer refuses the message, undefined accepts it. */
  readonly data?: (n: number) => SmtpAnswer | undefined
}

/** A mail the inbox accepted: the SMTP envelope, then the message as parsed. */
export interface InboxMail {
  /** The envelope's `MAIL FROM` address. */
  readonly from: string
  /** The envelope's recipients (`RCPT TO`): To, Cc and Bcc alike. */
  readonly to: readonly string[]
  readonly subject: string
  /** The text part ('' when there is none). */
  readonly text: string
  /** The HTML part, if any. */
  readonly html: string | undefined
  /** The message's headers by lowercase name, decoded (an address header as its text: `"Ops" <ops@example.com>`). */
  readonly headers: Readonly<Record<string, string>>
  /** The message exactly as received (headers and body). */
  readonly raw: string
}

/** A command the inbox answered with an error: which one, the number `rcpt` or `data` was called with, and the answer. */
export interface SmtpRefusal extends SmtpAnswer {
  readonly command: 'RCPT TO' | 'DATA'
  readonly n: number
}

export interface SmtpInbox {
  readonly host: '127.0.0.1'
  readonly port: number
  /** The email transport's `smtp` option for this inbox. */
  readonly smtp: { readonly host: string, readonly port: number }
  /** The mails accepted, in order. */
  readonly mails: readonly InboxMail[]
  readonly refused: readonly SmtpRefusal[]
  /** Resolves once `count` mails were accepted; rejects after `timeoutMs` (10 s). */
  waitFor (count: number, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

/**
 * An SMTP server on 127.0.0.1 (no TLS, no authentication) that accepts
 * every mail and keeps it parsed, for trying and testing the email
 * transport without a mail service. It runs on the smtp-server and
 * mailparser packages, which daslog does not install for you: add them to
 * your devDependencies to use it (the rest of daslog/testing needs neither).
 */
export async function startSmtpInbox (options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const { SMTPServer, simpleParser } = await smtpPackages()
  const mails: InboxMail[] = []
  const refused: SmtpRefusal[] = []
  let rcpts = 0
  let messages = 0
  const refuse = (command: SmtpRefusal['command'], n: number, answer: SmtpAnswer): Error => {
    refused.push({ command, n, code: answer.code, message: answer.message })
    return Object.assign(new Error(answer.message), { responseCode: answer.code })
  }
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo (address, _session, callback) {
      const n = rcpts++
      const answer = options.rcpt?.(address.address, n)
      callback(answer === undefined ? undefined : refuse('RCPT TO', n, answer))
    },
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const n = messages++
        const answer = options.data?.(n)
        if (answer !== undefined) {
          callback(refuse('DATA', n, answer))
          return
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const { mailFrom, rcptTo } = session.envelope
        simpleParser(raw).then((parsed) => {
          mails.push({
            from: mailFrom === false ? '' : mailFrom.address,
            to: rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html === false ? undefined : parsed.html,
            headers: Object.fromEntries([...parsed.headers].map(([name, value]) => [name, headerText(value)])),
            raw
          })
          callback()
        }, callback)
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const { port } = server.server.address() as AddressInfo
  return {
    host: '127.0.0.1',
    port,
    smtp: { host: '127.0.0.1', port },
    mails,
    refused,
    waitFor: (count, timeoutMs) => waitForCount(() => mails.length, count, 'mails', timeoutMs),
    close: () => new Promise((resolve) => { server.close(() => { resolve() }) })
  }
}

/**
 * smtp-server and mailparser, loaded when an inbox is started: optional
 * peer dependencies, so an application that never starts one installs
 * neither (mailparser alone brings about twenty packages).
 */
async function smtpPackages (): Promise<{ SMTPServer: typeof import('smtp-server').SMTPServer, simpleParser: typeof import('mailparser').simpleParser }> {
  try {
    const [{ SMTPServer }, { simpleParser }] = await Promise.all([import('smtp-server'), import('mailparser')])
    return { SMTPServer, simpleParser }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error
    throw new Error('startSmtpInbox needs the smtp-server and mailparser packages, which daslog does not install itself: npm install --save-dev smtp-server mailparser', { cause: error })
  }
}

/** A parsed header value as text: strings as they are, dates in ISO form, address and structured headers by their text or value. */
function headerText (value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(headerText).join(', ')
  if (typeof value === 'object' && value !== null) {
    const { text, value: main } = value as { text?: unknown, value?: unknown }
    if (typeof text === 'string') return text
    if (typeof main === 'string') return main
  }
  return String(value)
}
