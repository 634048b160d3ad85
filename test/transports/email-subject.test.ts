// Email subjects from hostile records, received by a real SMTP server (smtp-server, parsed by mailparser): line-like characters become one space, terminal sequences vanish whole, nothing is injected.
import { join } from 'node:path'
import t from 'tap'
import { startSmtpInbox } from 'daslog/testing'
import emailTransport from '../../transports/email.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd } from './helpers.js'

const line = (record: Record<string, unknown>): string => JSON.stringify({ level: 50, time: Date.parse('2026-11-23T10:15:00Z'), pid: 1, hostname: 'h', ...record }) + '\n'

async function mailsFor (t: { teardown: (fn: () => Promise<void>) => void }, options: Record<string, unknown>, records: ReadonlyArray<Record<string, unknown>>) {
  const inbox = await startSmtpInbox()
  t.teardown(() => inbox.close())
  const stream = await emailTransport({ smtp: inbox.smtp, from: 'daslog@example.com', to: 'ops@example.com', deadLetter: join(tempDir('email'), 'dead.ndjson'), ...options })
  for (const record of records) stream.write(line(record))
  await drainAndEnd(stream)
  return inbox.mails
}

t.test('NEL, LINE and PARAGRAPH SEPARATOR, VT, FF, CR and LF in a subject become one space each run, so words stay apart', async (t) => {
  const mails = await mailsFor(t, { subject: '{{event}}: {{note}}' }, [
    { event: 'disk_space_low', note: 'disk\u0085full\u2028on\u2029db-1\u000bat\u000cnight\r\nagain\n\nand\tagain' }
  ])
  t.equal(mails.length, 1)
  t.equal(mails[0]!.subject, 'disk_space_low: disk full on db-1 at night again and again')
})

t.test('a header injection through the subject stays inside the subject, whatever line break it uses', async (t) => {
  const breaks = ['\r\n', '\n', '\r', '\u0085', '\u2028', '\u000b\u000c']
  const mails = await mailsFor(t, { subject: '{{event}} {{note}}' }, breaks.map((linebreak) => ({ event: 'auth_login_failed', note: `x${linebreak}Bcc: evil@example.com${linebreak}X-Injected: yes` })))
  t.equal(mails.length, breaks.length)
  for (const mail of mails) {
    t.equal(mail.subject, 'auth_login_failed x Bcc: evil@example.com X-Injected: yes')
    t.same(mail.to, ['ops@example.com'], 'the envelope has only the configured recipient')
    t.notOk('bcc' in mail.headers || 'x-injected' in mail.headers, 'no header added')
  }
})

t.test('terminal sequences in a subject vanish whole: no [31m left behind', async (t) => {
  const mails = await mailsFor(t, {}, [
    { event: 'payment_process_failed', correlation_id: '\u001b[31mc-1\u001b[0m' },
    { event: 'payment_process_failed', correlation_id: '\u009b1mc-2\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u001b\\x\u001b]8;;\u001b\\' }
  ])
  t.same(mails.map((mail) => mail.subject), ['[error] payment_process_failed (c-1)', '[error] payment_process_failed (c-2x)'])
  t.same(mails.map((mail) => mail.text.split('\n').find((text) => text.startsWith('correlation id'))), ['correlation id: c-1', 'correlation id: c-2x'], 'the text body too')
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  for (const mail of mails) t.notOk(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(mail.text + mail.subject), 'no control character in the subject or the text')
})
