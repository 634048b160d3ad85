// A local SMTP inbox (the smtp-server package) for trying the email transport
// without a mail service: it accepts every mail on 127.0.0.1 and keeps it.
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface InboxMail {
  readonly to: readonly string[]
  readonly subject: string
  readonly text: string
}

export interface LocalInbox {
  readonly port: number
  readonly mails: InboxMail[]
  close (): Promise<void>
}

export async function startLocalInbox (): Promise<LocalInbox> {
  const mails: InboxMail[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData (stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), subject: mail.subject ?? '', text: mail.text ?? '' })
        callback()
      }, callback)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise((resolve) => { server.close(() => { resolve() }) })
  }
}
