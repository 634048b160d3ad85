// A small shop API, as the demo runs it: each request gets a correlation id
// bound with withContext, so every record logged while it is handled (by
// any logger, in any async continuation) carries it. No HTTP here, to keep
// the demo's output about the records; examples/http-correlation.ts shows
// the same with node:http and Express.
import { Events, type Logger } from 'daslog'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Handles one request: logs its start and end around `handle`, with its correlation id in context. */
async function request (log: Logger, correlationId: string, method: string, endpoint: string, handle: () => Promise<number>): Promise<void> {
  await log.withContext({ correlation_id: correlationId }, async () => {
    const started = performance.now()
    log.info(Events.API_REQUEST_STARTED, { method, endpoint })
    const status = await handle()
    log.info(Events.API_REQUEST_COMPLETED, { method, endpoint, status_code: status, duration_ms: Math.round(performance.now() - started) })
  })
}

/** One morning at the shop: sign-ins, a catalogue browse, a checkout that fails, a slow report, an outage. */
export async function runShop (log: Logger): Promise<void> {
  // Alice signs in; her password and e-mail address are masked by the config's masking processor.
  await request(log, 'req-alice-1', 'POST', '/login', async () => {
    log.info(Events.AUTH_LOGIN_STARTED, { username: 'alice@shop.example', source: 'web', password: 'hunter2' } as never)
    log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u-alice', duration_ms: 38 })
    return 200
  })

  // Bob gets his password wrong: a warning the webhook forwards.
  await request(log, 'req-bob-1', 'POST', '/login', async () => {
    log.warn(Events.AUTH_LOGIN_FAILED, { username: 'bob@shop.example', reason: 'invalid_password' })
    return 401
  })

  // Browsing: cache lookups are sampled (a quarter of the requests keep theirs, decided by correlation id).
  for (let page = 1; page <= 6; page++) {
    await request(log, `req-browse-${page}`, 'GET', `/products?page=${page}`, async () => {
      log.info(Events.CACHE_LOOKUP_HIT, { key: `products:page:${page}` })
      return 200
    })
  }

  // Alice checks out: the card is declined. The card number is masked; the failure mails on-call.
  const alice = log.bind({ user_id: 'u-alice' })
  await request(alice, 'req-alice-2', 'POST', '/checkout', async () => {
    alice.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'ORD-1042', amount: 129.9, currency: 'EUR', payment_method: 'card', card_number: '4111 1111 1111 1111' } as never)
    await sleep(5)
    alice.error(Events.PAYMENT_PROCESS_FAILED, {
      order_id: 'ORD-1042', amount: 129.9, currency: 'EUR', reason: 'card_declined', error_code: 'E_DECLINED',
      err: new Error('issuer declined card 4111 1111 1111 1111 for alice@shop.example')
    })
    return 402
  })

  // A nightly report runs a slow query, and the inventory sync processes 12 items (batched 5 at a time).
  await request(log, 'req-report-1', 'GET', '/reports/sales', async () => {
    await log.timed('database_query', { table: 'orders', operation: 'SELECT' }, async () => { await sleep(20) })
    log.warn(Events.DATABASE_QUERY_SLOW, { table: 'orders', operation: 'SELECT', duration_ms: 4_812, rows_returned: 120_000 })
    for (let item = 1; item <= 12; item++) log.info(Events.ITEM_PROCESS_SUCCESS, { item_id: `SKU-${1000 + item}` })
    return 200
  })

  // The payment gateway goes down: a storm of identical failures is one alert mail, then one digest.
  for (let i = 1; i <= 8; i++) {
    await request(log, `req-pay-${i}`, 'POST', '/checkout', async () => {
      log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: `ORD-${2000 + i}`, amount: 20 + i, currency: 'EUR', reason: 'gateway_timeout', error_code: 'E_GATEWAY' })
      return 503
    })
  }

  // The primary database is lost: fatal, so it also goes out by SMS.
  log.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db-primary.internal', error: 'ECONNREFUSED 10.0.0.5:5432' })
}
