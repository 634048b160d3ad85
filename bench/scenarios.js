// The in-process scenarios: the same work for every contender. A contender
// factory returns the function one operation calls; `null` with a reason
// marks work a contender cannot do (yet), reported as n/a, never hidden.
import { Events, masking, sampling } from 'daslog'
import { bunyanLogger, daslog, logtapeLogger, rawPino, sink, winstonLogger } from './contenders.js'

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

export const scenarios = [
  {
    name: 'plain event',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info('notification_send_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.NOTIFICATION_SEND_SUCCESS) },
      winston: () => { const l = winstonLogger(); return () => l.info('notification_send_success') },
      bunyan: () => { const l = bunyanLogger(); return () => l.info('notification_send_success') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('notification_send_success') }
    }
  },
  {
    name: 'event with 10 fields',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(fields10, 'auth_login_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields10) },
      winston: () => { const l = winstonLogger(); return () => l.info('auth_login_success', fields10) },
      bunyan: () => { const l = bunyanLogger(); return () => l.info(fields10, 'auth_login_success') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('auth_login_success', fields10) }
    }
  },
  {
    name: 'nested object',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(nested, 'order_process_started') },
      daslog: () => { const l = daslog(); return () => l.info(Events.ORDER_PROCESS_STARTED, nested) },
      winston: () => { const l = winstonLogger(); return () => l.info('order_process_started', nested) },
      bunyan: () => { const l = bunyanLogger(); return () => l.info(nested, 'order_process_started') },
      logtape: () => { const l = logtapeLogger(); return () => l.info('order_process_started', nested) }
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
      logtape: () => { const l = logtapeLogger().with(bound3); return () => l.info('auth_login_success', fields5) }
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
      }
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
      }
    }
  },
  {
    name: 'pattern masking, no PII in the strings',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(withoutPii, 'payment_process_started') },
      daslog: () => {
        const l = daslog({ processors: [masking({ patterns: ['email', 'card'] })] })
        return () => l.info(Events.PAYMENT_PROCESS_STARTED, withoutPii)
      }
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
      logtape: () => { const l = logtapeLogger(); return () => l.debug('cache_lookup_hit', fields5) }
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
