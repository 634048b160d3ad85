// The scenarios: the same work for every contender, each writing NDJSON to
// its own synchronous sonic-boom on /dev/null (pino's sync destination).
import pino from 'pino'
import { createLogger, Events } from 'daslog'

const sink = () => pino.destination({ dest: '/dev/null', sync: true })
const quiet = { base: { pid: 1, hostname: 'bench' } }

const fields10 = {
  user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', session_id: 'sess_456',
  attempt: 1, mfa: true, region: 'eu-west-1', plan: 'premium', client: 'ios/17.1'
}
const fields5 = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }
const bound3 = { correlation_id: 'c-7f3a', tenant: 'acme', request_id: 'req_1' }
const nested = {
  user_id: 'user_123',
  order: { id: 'ORD-123', total: 99.99, items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }], shipping: { city: 'Lyon', zip: '69001' } }
}

const nestedOrder = { order_id: 'ORD-123', ...nested }
const cacheHit = { key: 'k', ...fields5 }

const daslog = (options = {}) => createLogger({ config: false, ...quiet, ...options }, sink())
const rawPino = (options = {}) => pino({ ...quiet, ...options }, sink())

export const scenarios = [
  {
    name: 'plain event',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info('auth_login_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.NOTIFICATION_SEND_SUCCESS) }
    }
  },
  {
    name: 'event with 10 fields',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(fields10, 'auth_login_success') },
      daslog: () => { const l = daslog(); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields10) }
    }
  },
  {
    name: 'nested object',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(nested, 'order_process_started') },
      daslog: () => { const l = daslog(); return () => l.info(Events.ORDER_PROCESS_STARTED, nestedOrder) }
    }
  },
  {
    name: 'bound logger (3 bound) + 5 fields',
    budget: { name: 'Hot path: bound logger, 5 fields', max: 1.05, against: 'pino' },
    contenders: {
      pino: () => { const l = rawPino().child(bound3); return () => l.info(fields5, 'auth_login_success') },
      daslog: () => { const l = daslog().bind(bound3); return () => l.info(Events.AUTH_LOGIN_SUCCESS, fields5) }
    }
  },
  {
    name: 'disabled level',
    budget: { name: 'Disabled level call', max: 2, against: 'pino' },
    ops: 'fast',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.debug(cacheHit, 'cache_lookup_hit') },
      daslog: () => { const l = daslog(); return () => l.debug(Events.CACHE_LOOKUP_HIT, cacheHit) }
    }
  },
  {
    name: 'floor: JSON.stringify + write',
    contenders: {
      pino: () => { const l = rawPino(); return () => l.info(fields10, 'auth_login_success') },
      floor: () => {
        const s = sink()
        return () => s.write(JSON.stringify({ level: 30, time: Date.now(), pid: 1, hostname: 'bench', ...fields10, event: 'auth_login_success' }) + '\n')
      }
    }
  }
]
