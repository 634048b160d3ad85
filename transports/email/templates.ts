import { onOneLine } from '../shared/control-characters.js'
import { compileHtml, compileText, type Render } from '../shared/template.js'

/**
 * The email templates: subject and text are plain text (in the subject, line
 * breaks and the other line-like characters become spaces after rendering),
 * HTML escapes every value it inserts.
 */

export interface TemplateSources {
  readonly subject: string
  readonly text: string
  readonly html: string
}

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

export function compileTemplates (sources: TemplateSources): CompiledTemplates {
  return {
    subject: compileText(sources.subject, onOneLine),
    text: compileText(sources.text),
    html: compileHtml(sources.html)
  }
}
