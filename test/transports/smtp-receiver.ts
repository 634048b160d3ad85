import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'

/** A mail as the SMTP server accepted it: the envelope, the raw message and the message parsed. */
export interface AcceptedMail {
  readonly from: string
  readonly to: string[]
  readonly raw: string
  readonly parsed: ParsedMail
}

/** An SMTP error answer: a reply code and its text. */
export interface SmtpAnswer {
  readonly code: number
  readonly message: string
}

export interface SmtpReceiverOptions {
  /** Answer the n-th RCPT TO (0-based, across all mails) with an error, or accept it (undefined). */
  readonly rcpt?: (address: string, n: number) => SmtpAnswer | undefined
  /** Answer the n-th message (0-based, after DATA) with an error, or accept it. */
  readonly data?: (n: number) => SmtpAnswer | undefined
}

export interface SmtpReceiver {
  readonly port: number
  readonly mails: AcceptedMail[]
  /** Messages answered with an error at DATA. */
  readonly refused: number[]
  waitFor (count: number, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

function smtpError ({ code, message }: SmtpAnswer): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

/** A real SMTP server (the smtp-server package) on 127.0.0.1 and a free port; no TLS, no auth required. */
export async function startSmtpReceiver (options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const mails: AcceptedMail[] = []
  const refused: number[] = []
  let rcpts = 0
  let messages = 0
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo (address: SMTPServerAddress, _session, callback) {
      const answer = options.rcpt?.(address.address, rcpts++)
      callback(answer === undefined ? undefined : smtpError(answer))
    },
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const n = messages++
        const answer = options.data?.(n)
        if (answer !== undefined) {
          refused.push(n)
          callback(smtpError(answer))
          return
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const envelope = session.envelope
        void simpleParser(raw).then((parsed) => {
          mails.push({ from: envelope.mailFrom === false ? '' : envelope.mailFrom.address, to: envelope.rcptTo.map((rcpt) => rcpt.address), raw, parsed })
          callback()
        })
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    port,
    mails,
    refused,
    async waitFor (count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      while (mails.length < count) {
        if (Date.now() > until) throw new Error(`only ${mails.length} of ${count} mails arrived within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    close: () => new Promise((resolve) => { server.close(() => { resolve() }) })
  }
}
