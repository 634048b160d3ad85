import Handlebars from 'handlebars'
import { ConfigError } from '../../src/errors.js'

/**
 * Email templates, rendered with Handlebars: `{{field}}`, `{{a.b}}`,
 * `{{#each fields}}`, `{{#if}}`. An HTML template escapes every value it
 * inserts (`{{{raw}}}` and `{{& raw}}` are refused at setup); subject and text
 * are plain text and insert values as they are (the subject loses its line
 * breaks after rendering).
 */
const engine = Handlebars.create()

export interface TemplateSources {
  readonly subject: string
  readonly text: string
  readonly html: string
}

export type Render = (view: object) => string

export interface CompiledTemplates {
  readonly subject: Render
  readonly text: Render
  readonly html: Render
}

export const defaultTemplates: TemplateSources = {
  subject: '[{{level}}] {{event}}{{#if correlation_id}} ({{correlation_id}}){{/if}}',
  text: [
    '{{event}}',
    'level: {{level}}',
    'time: {{time}}',
    '{{#if correlation_id}}correlation id: {{correlation_id}}\n{{/if}}',
    '{{#each fields}}{{name}}: {{value}}',
    '{{/each}}'
  ].join('\n'),
  html: [
    '<h2>{{event}}</h2>',
    '<table cellpadding="4" style="border-collapse:collapse">',
    '<tr><th align="left">level</th><td>{{level}}</td></tr>',
    '<tr><th align="left">time</th><td>{{time}}</td></tr>',
    '{{#if correlation_id}}<tr><th align="left">correlation id</th><td>{{correlation_id}}</td></tr>{{/if}}',
    '{{#each fields}}<tr><th align="left">{{name}}</th><td>{{value}}</td></tr>{{/each}}',
    '</table>'
  ].join('\n')
}

/** The digest of a throttle window: what the first alert was, and every alert held after it. */
export const digestTemplates: TemplateSources = {
  subject: '[{{level}}] {{event}}: {{count}} more in {{window}}',
  text: [
    '{{count}} more {{event}} alerts ({{level}}) came within {{window}} of the first, from {{first}} to {{last}}:',
    '',
    '{{#each alerts}}{{time}}{{#if correlation_id}} [{{correlation_id}}]{{/if}}{{#each fields}} {{name}}={{value}}{{/each}}',
    '{{/each}}{{#if unlisted}}and {{unlisted}} more, not listed',
    '{{/if}}'
  ].join('\n'),
  html: [
    '<h2>{{count}} more {{event}} alerts ({{level}})</h2>',
    '<p>within {{window}} of the first, from {{first}} to {{last}}</p>',
    '<table cellpadding="4" style="border-collapse:collapse">',
    '<tr><th align="left">time</th><th align="left">correlation id</th><th align="left">fields</th></tr>',
    '{{#each alerts}}<tr><td>{{time}}</td><td>{{correlation_id}}</td><td>{{#each fields}}{{name}}={{value}} {{/each}}</td></tr>{{/each}}',
    '</table>',
    '{{#if unlisted}}<p>and {{unlisted}} more, not listed</p>{{/if}}'
  ].join('\n')
}

/** Checks a template's syntax, and that an HTML template escapes everything it inserts. */
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

export function compileTemplates (sources: TemplateSources): CompiledTemplates {
  const text = (source: string): Render => engine.compile(source, { noEscape: true })
  return {
    subject: text(sources.subject),
    text: text(sources.text),
    html: engine.compile(sources.html)
  }
}
