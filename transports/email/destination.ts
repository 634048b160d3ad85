import { createTransport } from 'nodemailer'
import type { CommonOptions } from '../shared/common-options.js'
import { alertView } from '../shared/alert-view.js'
import { DeliveryError, describeFailure, excerpt } from '../shared/retry.js'
import type { ConnectionReport, DeliveryNote, Destination } from '../shared/runtime.js'
import { onOneLine } from '../shared/control-characters.js'
import type { EmailOptions } from './options.js'
import { windowText } from '../shared/template.js'
import { compileTemplates, digestTemplates, type CompiledTemplates } from './templates.js'

/** A digest lists at most this many of its alerts (its count covers them all). */
const digestListed = 200

interface Rendered {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/**
 * Sends one mail per record, rendered from its templates, to the configured
 * recipients only: a record fills in the subject and the bodies, never an
 * address or a header. With `throttle`, a window's repeated alerts go out as
 * one digest mail. SMTP 4xx and connection failures are retried; 5xx is
 * final (dead-lettered with the server's reply); a recipient refused while
 * others accepted is reported, not retried.
 */
export function openEmailDestination (options: EmailOptions, _common: CommonOptions): Destination {
  const { timeoutMs } = options
  const smtp = typeof options.smtp === 'string'
    ? options.smtp
    : { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, ...options.smtp }
  const mailer = createTransport(smtp as Parameters<typeof createTransport>[0])
  // A pool sends over up to maxConnections (nodemailer's default: 5) at once; a plain transport one mail at a time.
  const pool = typeof options.smtp === 'object' && options.smtp.pool === true ? options.smtp : undefined
  const concurrency = pool === undefined ? 1 : typeof pool.maxConnections === 'number' ? pool.maxConnections : 5
  const base = compileTemplates(options.templates)
  const overrides = options.overrides.map(({ matches, templates }) => ({ matches, templates: compileTemplates(templates) }))
  const digest = compileTemplates(digestTemplates)

  const templatesFor = (event: string): CompiledTemplates => overrides.find((override) => override.matches(event))?.templates ?? base

  // The SMTP connection as the last send found it: up from the start, down when a send could not reach the server.
  let reportConnection: ConnectionReport = () => {}
  const send = async ({ subject, text, html }: Rendered): Promise<DeliveryNote | undefined> => {
    let info: { accepted?: unknown[], rejected?: unknown[], rejectedErrors?: Array<{ response?: string, message: string }> }
    try {
      info = await mailer.sendMail({
        from: options.from,
        to: [...options.to],
        cc: [...options.cc],
        bcc: [...options.bcc],
        subject,
        text,
        html,
        disableFileAccess: true,
        disableUrlAccess: true
      })
    } catch (error) {
      const failure = smtpFailure(error, options.server)
      // A reply code means the server answered; none, for a failure worth a retry, means no connection.
      if (typeof (error as { responseCode?: unknown }).responseCode === 'number') reportConnection(true)
      else if (failure.retryable) reportConnection(false, failure.message)
      throw failure
    }
    reportConnection(true)
    const rejected = info.rejected ?? []
    if (rejected.length === 0) return undefined
    const replies = (info.rejectedErrors ?? []).map((error) => excerpt(error.response ?? error.message, 300))
    return { problem: `refused by ${rejected.map(String).join(', ')} at ${options.server}${replies.length === 0 ? '' : `: ${replies.join('; ')}`} (the other recipients got it)` }
  }

  return {
    batchSize: 1,
    concurrency,
    retry: options.retry,
    ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
    watchConnection (report) {
      reportConnection = report
      report(true)
    },
    deliver (records) {
      const view = alertView(records[0]!)
      return send(render(templatesFor(view.event), view))
    },
    deliverDigest ({ records }) {
      const alerts = records.map(alertView)
      const first = alerts[0]!
      const view = {
        event: first.event,
        level: first.level,
        count: alerts.length,
        window: windowText(options.throttle?.windowMs ?? 0),
        first: first.time,
        last: alerts.at(-1)!.time,
        alerts: alerts.slice(0, digestListed),
        unlisted: Math.max(0, alerts.length - digestListed)
      }
      return send(render(digest, view))
    },
    close () {
      mailer.close()
    }
  }
}

function render (templates: CompiledTemplates, view: object): Rendered {
  return {
    subject: subjectLine(templates.subject(view)),
    text: templates.text(view),
    html: templates.html(view)
  }
}

/**
 * A subject is one line of at most 250 characters: a run of line-like
 * characters (CR, LF, tab, VT, FF, NEL, U+2028, U+2029) becomes one space,
 * so words do not run together; terminal sequences and the other control
 * and bidi characters are removed. (The subject template already rendered
 * it so: this keeps a subject safe whatever produced it.)
 */
export function subjectLine (text: string): string {
  return onOneLine(text).trim().slice(0, 250)
}

/** An SMTP failure as a DeliveryError: 4xx and lost connections are worth a retry, 5xx is not. */
function smtpFailure (error: unknown, server: string): DeliveryError {
  const failure = error as { responseCode?: unknown, response?: unknown, code?: unknown }
  if (typeof failure.responseCode === 'number') {
    const code = failure.responseCode
    const reply = typeof failure.response === 'string' ? failure.response : describeFailure(error)
    return new DeliveryError(`SMTP ${code} from ${server}: ${excerpt(reply, 300)}`, { retryable: code >= 400 && code < 500, cause: error })
  }
  // No reply code: the connection failed or broke (retried), or nodemailer refused the message itself (not).
  const final = failure.code === 'EMESSAGE' || failure.code === 'EENVELOPE'
  return new DeliveryError(`${describeFailure(error)} (${server})`, { retryable: !final, cause: error })
}
