// The in-process scenarios: the same work for every contender. A contender
// factory returns the function one operation calls; `{ unavailable: reason }`
// marks work a contender cannot do (yet), reported as n/a, never hidden.
import { Events, masking, sampling } from 'daslog'
import { registerMetrics } from 'daslog/metrics'
import { Registry } from 'prom-client'
import { bunyanLogger, daslog, evlogLogger, logtapeLogger, otelTracing, rawPino, sink, traceMixin, winstonLogger } from './contenders.js'

const fields10 = {
  user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', session_id: 'sess_456',
  attempt: 1, mfa: true, region: 'eu-west-1', plan: 'premium', client: 'ios/17.1'
}
const fields5 = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }
const bound3 = { correlation_id: 'c-7f3a', tenant: 'acme', request_id: 'req_1' }
const nested = {
  order_id: 'ORD-123',
  order: { id: 'ORD-123', total: 99.99, items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }], shipping: { city: 'Lyon', zip: '69001' } }
}
const secrets = { user_id: 'user_123', user: { email: 'alice@example.com', name: 'Alice' }, card: '4111111111111111', amount: 99.99 }
const withPii = {
  user_id: 'user_123', note: 'contact alice@example.com about the refund', card_text: 'paid with 4111 1111 1111 1111',
  email: 'bob@example.org', amount: 99.99
}
const withoutPii = {
  user_id: 'user_123', note: 'contact the customer about the refund', card_text: 'paid with the saved card',
  email: 'see the profile', amount: 99.99
}

/**
 * An evlog contender: `make` gets evlog's namespace once evlog is configured
 * with the scenario's `config`. evlog's log methods take one object (a wide
 * event), so the name goes in as `event` beside the fields, merged once here
 * as the others get their fields object ready-made.
 */
const withEvlog = (config, make) => () => {
  const evlog = evlogLogger(config)
  return evlog.unavailable !== undefined ? evlog : make(evlog)
}
const evlogEvent = (event, fields = {}) => ({ event, ...fields })

export const scenarios = [
  {
    name: 'plain event',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info('notification_send_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.NOTIFICATION_SEND_SUCCESS) },
      winston: () => { const l = winstonLogger(); return () => l.info('notification_send_success') },
      bunyan: () => { const l = bunyanLogger(); return () => l.info('notification_send_success') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('notification_send_success') },
      evlog: withEvlog({}, ({ log }) => { const e = evlogEvent('notification_send_success'); return () => log.info(e) })
    }
  },
  {
    name: 'event with 10 fields',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(fields10, 'auth_login_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields10) },
      winston: () => { const l = winstonLogger(); return () => l.info('auth_login_success', fields10) },
      bunyan: () => { const l = bunyanLogger(); return () => l.info(fields10, 'auth_login_success') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('auth_login_success', fields10) },
      evlog: withEvlog({}, ({ log }) => { const e = evlogEvent('auth_login_success', fields10); return () => log.info(e) })
    }
  },
  {
    name: 'nested object',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(nested, 'order_process_started') },
      daslog: () => { const l = daslog(); return () => l.info(Events.ORDER_PROCESS_STARTED, nested) },
      winston: () => { const l = winstonLogger(); return () => l.info('order_process_started', nested) },
      bunyan: () => { const l = bunyanLogger(); return () => l.info(nested, 'order_process_started') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('order_process_started', nested) },
      evlog: withEvlog({}, ({ log }) => { const e = evlogEvent('order_process_started', nested); return () => log.info(e) })
    }
  },
  {
    name: 'bound logger (3 bound) + 5 fields',
    budgets: [{ name: 'hot path: bound logger + 5 fields', max: 1.05 }],
    contenders: {
      pino: () => { const l = rawPino().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      daslog: () => { const l = daslog().bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) },
      winston: () => { const l = winstonLogger().child(bound3); return () => l.info('auth_login_success', fields5) },
      bunyan: () => { const l = bunyanLogger().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      logtape: () => { const l = logtapeLogger().with(bound3); return () => l.info('auth_login_success', fields5) },
      // evlog has no reusable child logger: context lives on a wide-event logger
      // that emits once and is then sealed, so each call is createLogger(context), set, emit.
      evlog: withEvlog({}, ({ createLogger }) => {
        const e = evlogEvent('auth_login_success', fields5)
        return () => { const l = createLogger(bound3); l.set(e); l.emit() }
      })
    }
  },
  {
    // registerMetrics (daslog/metrics) counts every record written by event and level;
    // 'off' is the same daslog logger without it, so its line is the cost of counting.
    name: 'bound logger + 5 fields, metrics on',
    budgets: [{ name: 'metrics on: bound logger + 5 fields vs metrics off', max: 1.03, versus: 'off' }],
    contenders: {
      pino: () => { const l = rawPino().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      off: () => { const l = daslog().bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) },
      daslog: () => {
        const root = daslog()
        registerMetrics(root, { registry: new Registry() })
        const l = root.bind(bound3)
        return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5)
      }
    }
  },
  {
    // validate: 'warn' checks each call against the catalog (auth_login_success: user_id a string, duration_ms a number);
    // 'off' is the same daslog logger without it, so its line is the cost of the check.
    name: "bound logger + 5 fields, validate 'warn'",
    contenders: {
      pino: () => { const l = rawPino().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      off: () => { const l = daslog().bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) },
      daslog: () => { const l = daslog({ validate: 'warn' }).bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) }
    }
  },
  {
    name: 'masking 2 paths (pino: redact)',
    budgets: [{ name: 'masking 2 paths vs pino redact', max: 0.85 }],
    contenders: {
      pino: () => { const l = rawPino({ redact: ['user.email', 'card'] }); return () => l.info(secrets, 'payment_process_started') },
      daslog: () => {
        const l = daslog({ processors: [masking({ paths: ['user.email', 'card'] })] })
        return () => l.info(Events.PAYMENT_PROCESS_STARTED, secrets)
      },
      evlog: withEvlog({ redact: { paths: ['user.email', 'card'], builtins: false } }, ({ log }) => {
        const e = evlogEvent('payment_process_started', secrets)
        return () => log.info(e)
      })
    }
  },
  {
    name: 'pattern masking (email, card) vs no mask',
    budgets: [{ name: 'pattern masking vs pino unmasked', max: 1.5 }],
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(withPii, 'payment_process_started') },
      daslog: () => {
        const l = daslog({ processors: [masking({ patterns: ['email', 'card'] })] })
        return () => l.info(Events.PAYMENT_PROCESS_STARTED, withPii)
      },
      evlog: withEvlog({ redact: { builtins: ['email', 'creditCard'] } }, ({ log }) => {
        const e = evlogEvent('payment_process_started', withPii)
        return () => log.info(e)
      })
    }
  },
  {
    name: 'pattern masking, no PII in the strings',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(withoutPii, 'payment_process_started') },
      daslog: () => {
        const l = daslog({ processors: [masking({ patterns: ['email', 'card'] })] })
        return () => l.info(Events.PAYMENT_PROCESS_STARTED, withoutPii)
      },
      evlog: withEvlog({ redact: { builtins: ['email', 'creditCard'] } }, ({ log }) => {
        const e = evlogEvent('payment_process_started', withoutPii)
        return () => log.info(e)
      })
    }
  },
  {
    name: 'disabled level',
    budgets: [{ name: 'disabled level call', max: 2 }],
    fast: true,
    contenders: {
      pino: () => { const l = rawPino(); return () => l.debug(fields5, 'cache_lookup_hit') },
      daslog: () => { const l = daslog(); return () => l.debug(Events.CACHE_LOOKUP_HIT, fields5) },
      winston: () => { const l = winstonLogger(); return () => l.debug('cache_lookup_hit', fields5) },
      bunyan: () => { const l = bunyanLogger(); return () => l.debug(fields5, 'cache_lookup_hit') },
      logtape: () => { const l = logtapeLogger(); return () => l.debug('cache_lookup_hit', fields5) },
      evlog: withEvlog({}, ({ log }) => { const e = evlogEvent('cache_lookup_hit', fields5); return () => log.debug(e) })
    }
  },
  {
    name: 'dropped by sampling (pino: disabled call)',
    budgets: [{ name: 'call dropped by sampling vs pino disabled', max: 2 }],
    fast: true,
    contenders: {
      pino: () => { const l = rawPino(); return () => l.debug(fields5, 'cache_lookup_hit') },
      daslog: () => {
        const l = daslog({ processors: [sampling({ events: { cache_lookup_hit: 0 } })] })
        return () => l.info(Events.CACHE_LOOKUP_HIT, fields5)
      },
      // evlog's head sampling is per level, not per event: info at rate 0.
      evlog: withEvlog({ sampling: { rates: { info: 0 } } }, ({ log }) => {
        const e = evlogEvent('cache_lookup_hit', fields5)
        return () => log.info(e)
      })
    }
  },
  {
    // traceContext must cost (next to) nothing while no span is active: most records of most services.
    name: 'traceContext, no span active (vs off)',
    budgets: [{ name: 'traceContext on, no span, vs off', max: 1.05, versus: 'off' }],
    contenders: {
      pino: () => { otelTracing(); const l = rawPino().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      off: () => { otelTracing(); const l = daslog().bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) },
      daslog: () => { otelTracing(); const l = daslog({ traceContext: true }).bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) }
    }
  },
  {
    // In a span, the ids are written; pino's way to add them is a mixin. Every call runs inside context.with() for both.
    name: 'traceContext, in a span (pino: mixin)',
    contenders: {
      pino: () => {
        const { inSpan } = otelTracing()
        const l = rawPino({ mixin: traceMixin() }).child(bound3)
        const call = () => l.info(fields5, 'auth_login_success')
        return () => inSpan(call)
      },
      daslog: () => {
        const { inSpan } = otelTracing()
        const l = daslog({ traceContext: true }).bind(bound3)
        const call = () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5)
        return () => inSpan(call)
      }
    }
  },
  {
    name: 'floor: JSON.stringify + write',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(fields10, 'auth_login_success') },
      floor: () => {
        const out = sink()
        return () => out.write(JSON.stringify({ level: 30, time: Date.now(), pid: 1, hostname: 'bench', ...fields10, event: 'auth_login_success' }) + '\n')
      }
    }
  }
]
