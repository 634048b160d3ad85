import { ConfigError } from '../../src/errors.js'
import { compileEventPatterns, type EventMatcher } from '../../src/event-pattern.js'
import { describe, eventPatternOption, isObject, optionObject, stringListOption, stringOption, urlOption } from '../../src/config/option-checks.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'
import { throttleOption, type ThrottleOptions } from '../shared/throttle.js'
import { checkTemplate } from '../shared/template.js'
import { defaultTemplates, type TemplateSources } from './templates.js'

export interface EmailOptions extends NetworkOptions {
  /** nodemailer's SMTP transport options (or its connection URL), as given. */
  readonly smtp: Readonly<Record<string, unknown>> | string
  /** Where the SMTP server is, for names: `smtp.example.com:587` (never the credentials). */
  readonly server: string
  readonly from: string
  readonly to: readonly string[]
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  /** The templates for records no `templates` pattern matches. */
  readonly templates: TemplateSources
  /** Per-event-pattern overrides, in the order given: the first match wins. */
  readonly overrides: ReadonlyArray<{ readonly pattern: string, readonly matches: EventMatcher, readonly templates: TemplateSources }>
  readonly throttle: ThrottleOptions | undefined
}

const templateNames = ['subject', 'text', 'html'] as const

/**
 * An address list entry: `ops@example.com` or `Ops <ops@example.com>`. CR, LF
 * and commas are refused: one entry is one recipient, and no header can be
 * smuggled in.
 */
function addressOption (option: string, value: unknown): string {
  const address = stringOption(option, value)
  if (/[\r\n\0,;]/.test(address)) throw new ConfigError(option, `expected one address per entry (no commas, semicolons or line breaks), got ${JSON.stringify(address)}`)
  if (!/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(address.trim())) throw new ConfigError(option, `expected an address like ops@example.com or "Ops <ops@example.com>", got ${JSON.stringify(address)}`)
  return address.trim()
}

function addressesOption (option: string, value: unknown, required: boolean): string[] {
  if (value === undefined) {
    if (required) throw new ConfigError(option, 'at least one recipient is required')
    return []
  }
  const list = stringListOption(option, value, required)
  return list.map((address, i) => addressOption(Array.isArray(value) ? `${option}[${i}]` : option, address))
}

function templateSet (option: string, value: Record<string, unknown>, fallback: TemplateSources): TemplateSources {
  const pick = (name: typeof templateNames[number]): string =>
    value[name] === undefined ? fallback[name] : checkTemplate(option === '' ? name : `${option}.${name}`, value[name], name === 'html')
  return { subject: pick('subject'), text: pick('text'), html: pick('html') }
}

function overridesOption (value: unknown, base: TemplateSources): EmailOptions['overrides'] {
  if (value === undefined) return []
  const templates = optionObject('templates', value, Object.keys(isObject(value) ? value : {}))
  return Object.entries(templates).map(([pattern, set]) => {
    eventPatternOption(`templates.${pattern}`, pattern)
    return { pattern, matches: compileEventPatterns([pattern]), templates: templateSet(`templates.${pattern}`, optionObject(`templates.${pattern}`, set, templateNames), base) }
  })
}

function smtpOption (value: unknown): { smtp: EmailOptions['smtp'], server: string } {
  if (value === undefined) throw new ConfigError('smtp', 'the SMTP server is required: nodemailer transport options ({ host, port, secure, auth, pool }) or an smtp:// URL')
  if (typeof value === 'string') return { smtp: value, server: urlOption('smtp', value, ['smtp:', 'smtps:']).host }
  if (!isObject(value)) throw new ConfigError('smtp', `expected nodemailer transport options or an smtp:// URL, got ${describe(value)}`)
  if (value.host !== undefined) stringOption('smtp.host', value.host)
  if (value.port !== undefined && (!Number.isInteger(value.port) || (value.port as number) < 1 || (value.port as number) > 65535)) throw new ConfigError('smtp.port', `expected a port number, got ${describe(value.port)}`)
  if (value.host === undefined && value.service === undefined) throw new ConfigError('smtp.host', 'the SMTP host (or a nodemailer `service`) is required')
  const server = value.host === undefined ? String(value.service) : `${String(value.host)}${value.port === undefined ? '' : `:${String(value.port)}`}`
  return { smtp: value, server }
}

export const emailOptionsSpec: OptionsSpec<EmailOptions> = {
  kind: 'email',
  optionNames: ['smtp', 'from', 'to', 'cc', 'bcc', ...templateNames, 'templates', 'throttle', ...networkOptionNames],
  parse (options) {
    const { smtp, server } = smtpOption(options.smtp)
    if (options.from === undefined) throw new ConfigError('from', 'the sender address is required')
    const templates = templateSet('', options, defaultTemplates)
    return {
      smtp,
      server,
      from: addressOption('from', options.from),
      to: addressesOption('to', options.to, true),
      cc: addressesOption('cc', options.cc, false),
      bcc: addressesOption('bcc', options.bcc, false),
      templates,
      overrides: overridesOption(options.templates, templates),
      throttle: throttleOption(options.throttle),
      ...networkOptions(options)
    }
  },
  describe: (options) => options.server,
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('email', options.server)
}
