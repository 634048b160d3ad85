import type { Rule } from 'eslint'
import { eventValue, loggerCallArgument, ruleOptionsSchema, type LoggerCallOptions } from './event-argument.js'

/**
 * `daslog/no-dynamic-event-name`: the event of a logger call is a name of the
 * catalog written in the code (`Events.X`, a string literal, or a const
 * holding one), never built at run time, so the names in the code are the
 * names in the catalog, in the logs and in the alerts (the DAS guide's "don't
 * use dynamic event names").
 */
export const noDynamicEventName: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow event names built at run time in daslog logger calls'
    },
    schema: [ruleOptionsSchema],
    messages: {
      dynamic: 'The event name {{why}}: log a catalog event, Events.X or a string literal (put the varying part in a field).'
    }
  },
  create (context) {
    const options = (context.options[0] ?? {}) as LoggerCallOptions
    const ignore = options.ignore ?? ['console']
    const eventObjects = options.eventObjects ?? ['Events']
    return {
      CallExpression (node) {
        const call = loggerCallArgument(node, ignore)
        if (call === undefined) return
        const value = eventValue(call.argument, context, eventObjects)
        if (value.kind === 'dynamic') context.report({ node: call.argument, messageId: 'dynamic', data: { why: value.why } })
      }
    }
  }
}
