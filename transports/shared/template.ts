import Handlebars from 'handlebars'
import { ConfigError } from '../../src/errors.js'
import { withoutUnsafeCharacters } from './control-characters.js'

/**
 * Alert templates (email, sms), rendered with Handlebars: `{{field}}`,
 * `{{a.b}}`, `{{#each fields}}`, `{{#if}}`. Checked once at setup.
 */
const engine = Handlebars.create()

export type Render = (view: object) => string

/** Checks a template's syntax; `html`: also that it escapes everything it inserts (no `{{{raw}}}`, no `{{& raw}}`). */
export function checkTemplate (option: string, source: unknown, html: boolean): string {
  if (typeof source !== 'string') throw new ConfigError(option, `expected a template string, got ${source === null ? 'null' : typeof source}`)
  let program: hbs.AST.Program
  try {
    program = engine.parse(source)
  } catch (error) {
    throw new ConfigError(option, `is not a valid template: ${(error as Error).message.split('\n')[0]}`)
  }
  if (html && hasUnescaped(program)) throw new ConfigError(option, 'inserts a value unescaped ({{{...}}} or {{&...}}); HTML templates must escape what they insert')
  return source
}

function hasUnescaped (node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false
  const statement = node as { type?: string, escaped?: boolean }
  if (statement.type === 'MustacheStatement' && statement.escaped === false) return true
  return Object.values(node).some((child) => Array.isArray(child) ? child.some(hasUnescaped) : typeof child === 'object' && hasUnescaped(child))
}

/**
 * A plain-text template: values are inserted as they are, then terminal
 * sequences, control and bidi characters are removed from the text (or
 * `clean` does what the text needs: `onOneLine` for a mail subject).
 */
export function compileText (source: string, clean: (text: string) => string = withoutUnsafeCharacters): Render {
  return cleaned(engine.compile(source, { noEscape: true }), clean)
}

/** An HTML template: every inserted value is escaped (`& < > " ' \` =`), then terminal sequences, control and bidi characters are removed. */
export function compileHtml (source: string): Render {
  return cleaned(engine.compile(source), withoutUnsafeCharacters)
}

function cleaned (render: Render, clean: (text: string) => string): Render {
  return (view) => clean(render(view))
}

/** 60000 → "1 min", 90000 → "90 s", 7200000 → "2 h": how a throttle window reads in a digest or summary. */
export function windowText (ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
