import t from 'tap'
import { Events } from '../src/index.js'
import { createTestLogger } from '../src/testing.js'
import { base, withoutTime } from './helpers.js'

t.test('records fill synchronously, parsed; clear() empties the same array', async (t) => {
  const { logger, records, clear } = createTestLogger()
  const same = records
  logger.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, correlation_id: 'c-1', user_id: 'u1', event: 'auth_login_success' })
  logger.trace(Events.CACHE_LOOKUP_HIT, { key: 'k' })
  t.equal(records.length, 2, 'trace is on by default in tests')
  clear()
  t.equal(records.length, 0)
  t.equal(records, same, 'the same array, emptied in place')
  logger.info(Events.NOTIFICATION_SEND_STARTED)
  t.equal(same.length, 1)
})

t.test('options apply, and no config file is read unless named', async (t) => {
  const cwd = process.cwd()
  const { logger, records } = createTestLogger({ level: 'warn', base: null })
  t.equal(process.cwd(), cwd)
  logger.info(Events.NOTIFICATION_SEND_STARTED)
  logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  t.equal(records.length, 1)
  t.strictSame(withoutTime(records[0]), { level: 40, username: 'u', reason: 'r', event: 'auth_login_failed' })
})
