import type { ESLint, Linter, Rule } from 'eslint'
import { knownEvent } from './known-event.js'
import { noDynamicEventName } from './no-dynamic-event-name.js'

export type { KnownEventOptions } from './known-event.js'
export type { LoggerCallOptions } from './event-argument.js'

export interface DaslogEslintPlugin extends ESLint.Plugin {
  readonly meta: { readonly name: string }
  readonly rules: { readonly 'no-dynamic-event-name': Rule.RuleModule, readonly 'known-event': Rule.RuleModule }
  /** `recommended`: both rules as errors, for every file ESLint lints (known-event with daslog's default catalog). */
  readonly configs: { readonly recommended: Linter.Config }
}

const recommended: Linter.Config = {
  name: 'daslog/recommended',
  rules: { 'daslog/no-dynamic-event-name': 'error', 'daslog/known-event': 'error' }
}

/**
 * daslog's ESLint plugin, for flat config:
 * `import daslog from 'daslog/eslint-plugin'; export default [daslog.configs.recommended]`.
 */
const plugin: DaslogEslintPlugin = {
  meta: { name: 'daslog/eslint-plugin' },
  rules: { 'no-dynamic-event-name': noDynamicEventName, 'known-event': knownEvent },
  configs: { recommended }
}
recommended.plugins = { daslog: plugin }

export default plugin
