// The email transport through a real pino.transport worker (the built package) to a real SMTP server on 127.0.0.1; option checks.
import t from 'tap'
import { createLogger, Events, TransportConfigError, type DeliveryFailure } from 'daslog'
import { startSmtpInbox } from 'daslog/testing'
import { emailOptionsSpec } from '../../transports/email/options.js'
import { subjectLine } from '../../transports/email/destination.js'
import { windowText } from '../../transports/shared/template.js'
import { compileTemplates } from '../../transports/email/templates.js'
import fc from 'fast-check'
import { join } from 'node:path'
import { tempDir } from '../helpers.js'

t.test('alerts by email from a logger: the error events of a bound request, a refused recipient reported', async (t) => {
  const receiver = await startSmtpInbox({ rcpt: (address) => address === 'gone@example.com' ? { code: 550, message: '5.1.1 no such user' } : undefined })
  t.teardown(() => receiver.close())
  const log = createLogger({
    config: false,
    transport: {
      targets: [{
        target: 'daslog/transports/email',
        level: 'error',
        options: { smtp: { host: '127.0.0.1', port: receiver.port, pool: true }, from: 'Alerts <alerts@example.com>', to: ['ops@example.com', 'gone@example.com'], deadLetter: join(tempDir('email'), 'dead.ndjson') }
      }]
    }
  })
  const failures: DeliveryFailure[] = []
  log.onDeliveryFailure((failure) => { failures.push(failure) })
  const request = log.bind('c-77')
  request.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'o-1', amount: 5, currency: 'EUR' })
  request.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-1', amount: 5, currency: 'EUR', reason: 'declined', error_code: 'E1' })
  await log.close()
  t.equal(receiver.mails.length, 1, 'the info record is below the target level')
  t.equal(receiver.mails[0]!.subject, '[error] payment_process_failed (c-77)')
  t.same(receiver.mails[0]!.to, ['ops@example.com'])
  t.match(log.stats(), [{ transport: 'email', name: `email 127.0.0.1:${receiver.port}`, accepted: 1, delivered: 1, deadLettered: 0 }])
  t.match(failures, [{ outcome: 'partially delivered', count: 1, error: /refused by gone@example\.com/ }])
})

t.test('bad options name the option', async (t) => {
  const good = { smtp: { host: '127.0.0.1', port: 25 }, from: 'a@example.com', to: 'b@example.com' }
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ ...good, smtp: undefined }, 'smtp', /required/],
    [{ ...good, smtp: 'http://x' }, 'smtp', /smtp:\/\//],
    [{ ...good, smtp: { port: 25 } }, 'smtp.host', /required/],
    [{ ...good, smtp: { host: 'h', port: 'x' } }, 'smtp.port', /port number/],
    [{ ...good, from: undefined }, 'from', /required/],
    [{ ...good, to: undefined }, 'to', /at least one/],
    [{ ...good, to: [] }, 'to', /at least one/],
    [{ ...good, to: 'a@example.com, b@example.com' }, 'to', /one address per entry/],
    [{ ...good, to: ['a@example.com', 'x\r\nBcc: y@example.com'] }, 'to[1]', /one address per entry/],
    [{ ...good, cc: 'not an address' }, 'cc', /address like/],
    [{ ...good, html: '<p>{{{raw}}}</p>' }, 'html', /unescaped/],
    [{ ...good, html: '<p>{{& raw}}</p>' }, 'html', /unescaped/],
    [{ ...good, subject: '{{#if}}' }, 'subject', /not a valid template/],
    [{ ...good, text: 5 }, 'text', /template string/],
    [{ ...good, templates: { 'payment_*': { html: '{{{x}}}' } } }, 'templates.payment_*.html', /unescaped/],
    [{ ...good, templates: { 'payment_*': { body: 'x' } } }, 'templates.payment_*.body', /unknown option/],
    [{ ...good, templates: { 'Bad Pattern': {} } }, 'templates.Bad Pattern', /./],
    [{ ...good, throttle: { key: 'order_id' } }, 'throttle.windowMs', /required/],
    [{ ...good, throttle: { windowMs: 0 } }, 'throttle.windowMs', /from 1/]
  ]
  for (const [options, option, problem] of cases) t.throws(() => emailOptionsSpec.parse(options), { name: 'ConfigError', option, problem }, option)
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/email', options: { ...good, to: 'x' } } }),
    new TransportConfigError('email', 'to', 'expected an address like ops@example.com or "Ops <ops@example.com>", got "x"', { target: 'transport' }))
})

t.test('subjects are one line; windows read naturally', async (t) => {
  t.equal(subjectLine('a\r\nBcc: b\u2028c\u0000d\te'), 'a Bcc: b cd e', 'line breaks and tabs become spaces; a NUL is removed')
  t.equal(subjectLine('disk\u0085full\u2029on\u000bdb-1\u000cnow'), 'disk full on db-1 now', 'NEL, PS, VT and FF too: words do not run together')
  t.equal(subjectLine('\u001b[31mred\u001b[0m alert'), 'red alert', 'terminal sequences vanish whole')
  t.equal(subjectLine('x'.repeat(300)).length, 250)
  t.same([60_000, 90_000, 7_200_000, 1500].map(windowText), ['1 min', '90 s', '2 h', '1500 ms'])
})

t.test('HTML templates escape whatever a record holds (property-based, 500 records)', async (t) => {
  const html = compileTemplates({ subject: '', text: '', html: '<td>{{a}}</td><td>{{b.c}}</td>{{#each fields}}<i>{{name}}={{value}}</i>{{/each}}' }).html
  fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, c) => {
    const out = html({ a, b: { c }, fields: [{ name: a, value: c }] })
    const inserted = out.replace(/<\/?(td|i)>/g, '')
    return !/[<>"'`]/.test(inserted) && !/&(?!(amp|lt|gt|quot|#x27|#x60|#x3D);)/.test(inserted)
  }), { numRuns: 500 })
  t.pass('no markup character survives unescaped')
})
