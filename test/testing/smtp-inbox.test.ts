// daslog/testing's startSmtpInbox: what the email transport sends arrives parsed, with its envelope;
// recipients and messages can be refused as a mail server would.
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { startSmtpInbox } from 'daslog/testing'
import { tempDir } from '../helpers.js'

t.test('the email transport through a logger: envelope, subject, text, HTML, headers and the raw message', async (t) => {
  const inbox = await startSmtpInbox()
  t.teardown(() => inbox.close())
  t.same(inbox.smtp, { host: '127.0.0.1', port: inbox.port })
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/email', options: { smtp: inbox.smtp, from: 'Alerts <alerts@example.com>', to: 'ops@example.com', bcc: 'audit@example.com', deadLetter: join(tempDir('smtp-inbox'), 'dead.ndjson') } }
  })
  log.bind('c-5').error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-1', amount: 5, currency: 'EUR', reason: 'declined', error_code: 'E1' })
  await log.close()
  t.equal(inbox.mails.length, 1)
  const [mail] = inbox.mails
  t.equal(mail!.from, 'alerts@example.com')
  t.same(mail!.to, ['ops@example.com', 'audit@example.com'], 'Bcc is in the envelope')
  t.equal(mail!.subject, '[error] payment_process_failed (c-5)')
  t.match(mail!.text, /^payment_process_failed\nlevel: error\n/)
  t.match(mail!.html, /<th align="left">order_id<\/th><td>o-1<\/td>/)
  t.match(mail!.headers, { from: '"Alerts" <alerts@example.com>', to: 'ops@example.com', subject: '[error] payment_process_failed (c-5)', 'content-type': 'multipart/alternative' })
  t.match(mail!.headers.date, /^\d{4}-\d\d-\d\dT/, 'a date in ISO form')
  t.equal(mail!.headers.bcc, undefined, '...and not in the headers')
  t.match(mail!.raw, /^Subject: \[error\] payment_process_failed \(c-5\)\r$/m)
})

t.test('a refused recipient and refused messages are answered with the code given, and listed', async (t) => {
  const inbox = await startSmtpInbox({
    rcpt: (address) => address === 'gone@example.com' ? { code: 550, message: '5.1.1 no such user' } : undefined,
    data: (n) => n === 0 ? { code: 451, message: '4.3.0 try again later' } : undefined
  })
  t.teardown(() => inbox.close())
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/email', options: { smtp: inbox.smtp, from: 'a@example.com', to: ['ops@example.com', 'gone@example.com'], retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 5 }, deadLetter: join(tempDir('smtp-inbox'), 'dead.ndjson') } }
  })
  log.onDeliveryFailure(() => {})
  log.error(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  await log.close()
  t.same(inbox.mails.map((mail) => mail.to), [['ops@example.com']])
  t.same(inbox.refused, [
    { command: 'RCPT TO', n: 1, code: 550, message: '5.1.1 no such user' },
    { command: 'DATA', n: 0, code: 451, message: '4.3.0 try again later' },
    { command: 'RCPT TO', n: 3, code: 550, message: '5.1.1 no such user' }
  ])
  await inbox.waitFor(1)
  await t.rejects(inbox.waitFor(2, 30), /^only 1 of 2 mails arrived within 30 ms$/)
})
