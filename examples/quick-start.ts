// The README's quick start, runnable: npx tsx examples/quick-start.ts
// One JSON line per event on stdout, as pino writes them.
import { createLogger, Events } from 'daslog'

// No config file here, so the defaults: level info, JSON lines to stdout.
const log = createLogger({ config: false })

log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'user_123', duration_ms: 45 })

// bind() returns a child logger; a string is the correlation id.
const request = log.bind('c-7f3a')
request.warn(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'invalid_password' })

// withContext(): everything logged inside, by any daslog logger, carries the fields.
await log.withContext({ correlation_id: 'c-91b2' }, async () => {
  // timed(): _started, then _completed (with duration_ms) or _failed (with err), rethrowing.
  await log.timed('database_query', { table: 'orders', operation: 'SELECT' }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 10))
  })
})

// An Error goes in `err`: type, message, stack, and its cause chain.
log.error(Events.PAYMENT_PROCESS_FAILED, {
  order_id: 'ORD-123', amount: 99.99, reason: 'card_declined', err: new Error('declined', { cause: new Error('issuer said no') })
})

// close() flushes and ends whatever the logger writes to; at process exit daslog does it anyway.
await log.close()
