// daslog's own webhook transport (a real worker, signed with signingSecret) delivering 1,000 records into daslog serve on PostgreSQL.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { openStore } from '../../src/store/index.js'
import { freshDatabase, sql } from '../store/helpers.js'
import { tempDir } from '../helpers.js'
import { readDeadLetters } from '../transports/helpers.js'
import { otherSecret, readyCollector, signingSecret } from './helpers.js'

const url = await freshDatabase(t)
const collector = await readyCollector({ db: url }, { 'signing-secret': [signingSecret] })

/** Waits until the transport delivered or dead-lettered everything (then closing the logger never blocks this thread's server). */
async function drained (log: ReturnType<typeof createLogger>, records: number): Promise<void> {
  for (let i = 0; i < 2400; i++) {
    const [stats] = log.stats()
    if (stats !== undefined && stats.delivered + stats.deadLettered + stats.dropped >= records) return
    await sleep(50)
  }
}

t.test('1,000 signed records through the webhook transport: every one stored once, whole, with its event_id', async (t) => {
  const deadLetter = join(tempDir('serve-webhook'), 'dead.ndjson')
  const log = createLogger({
    config: false,
    base: { pid: 1, hostname: 'h' },
    transport: { target: 'daslog/transports/webhook', options: { url: `${collector.url}/events`, signingSecret, deadLetter, batch: { size: 100, intervalMs: 20 } } }
  })
  for (let i = 0; i < 1000; i++) log.bind(`c-${i % 10}`).info(Events.API_REQUEST_COMPLETED, { endpoint: '/x', method: 'GET', request_id: `r${i}`, status_code: 200, duration_ms: i })
  await drained(log, 1000)
  await log.close()
  t.match(log.stats(), [{ accepted: 1000, delivered: 1000, deadLettered: 0, dropped: 0 }])
  t.notOk(existsSync(deadLetter), 'no dead letters')
  t.same(await sql(url, 'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids, count(DISTINCT data->>\'request_id\')::int AS requests FROM daslog_events'), [{ n: 1000, ids: 1000, requests: 1000 }])
  const store = await openStore(url)
  t.teardown(() => store.close())
  const [event] = (await store.query({ where: { request_id: 'r7' } })).events
  t.match(event, { level: 30, event: 'api_request_completed', correlation_id: 'c-7', pid: 1, hostname: 'h', endpoint: '/x', method: 'GET', request_id: 'r7', status_code: 200, duration_ms: 7 })
  t.match(event!.event_id, /^[0-9a-f-]{36}$/)
  t.notOk('msg' in event!, 'the viewer message is not stored')
})

t.test('a transport signing with a secret the collector does not know: refused with 401, dead-lettered, nothing stored', async (t) => {
  const deadLetter = join(tempDir('serve-webhook'), 'dead.ndjson')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/webhook', options: { url: `${collector.url}/events`, signingSecret: otherSecret, deadLetter, retry: { attempts: 1, minDelayMs: 5, maxDelayMs: 10 }, circuitBreaker: false } }
  })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'forger', method: 'password' })
  await drained(log, 1)
  await log.close()
  t.match(log.stats(), [{ delivered: 0, deadLettered: 1 }])
  t.match(readDeadLetters(deadLetter)[0], { error: /401 Unauthorized.*no webhook-signature matches the body/, record: { user_id: 'forger' } })
  t.same(await sql(url, "SELECT count(*)::int AS n FROM daslog_events WHERE data->>'user_id' = 'forger'"), [{ n: 0 }])
})

// Before the database is dropped (teardowns run in the order they were registered).
t.test('the collector closes', () => collector.close())
