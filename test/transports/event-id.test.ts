// Event ids: a UUID v7 given in the worker when a record enters a daslog
// transport's queue, the same for every target of the worker, kept in dead
// letters, sent in webhook bodies; record metadata that CSV data and other
// pino targets do not show unless asked.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { startWebhookReceiver } from 'daslog/testing'
import { createLogger, Events } from '../../src/index.js'
import { newEventId, withEventId, withoutEventId } from '../../transports/shared/event-id.js'
import { tempDir } from '../helpers.js'
import { readCsv, readDeadLetters, testTransport, endTransport, uuidV7 } from './helpers.js'

t.test('newEventId is a UUID v7 that starts with the time in ms', async (t) => {
  const id = newEventId(0x0190_f3c2_7a1b)
  t.match(id, uuidV7)
  t.equal(id.slice(0, 13), '0190f3c2-7a1b')
  const ids = new Set(Array.from({ length: 10_000 }, () => newEventId()))
  t.equal(ids.size, 10_000, 'no two alike')
})

t.test('withEventId puts an id first unless the line has one there; withoutEventId gives the line back', async (t) => {
  const line = '{"level":30,"event":"a"}'
  const tagged = withEventId(line)
  t.match(JSON.parse(tagged), { event_id: uuidV7, level: 30, event: 'a' })
  t.equal(withEventId(tagged), tagged)
  t.equal(withoutEventId(tagged), line)
  t.equal(withoutEventId(line), line)
  t.equal(withEventId('not json'), 'not json')
  const carried = '{"level":30,"event_id":"0190f3c2-7a1b-7c3d-9e4f-0123456789ab"}'
  t.equal(JSON.parse(withEventId(carried)).event_id, '0190f3c2-7a1b-7c3d-9e4f-0123456789ab', 'a record that carries one keeps it')
})

t.test('every target of the worker sees the same id; CSV data and pino/file do not show it; a CSV column asks for it', async (t) => {
  const dir = tempDir('event-id')
  const receiver = await startWebhookReceiver()
  t.teardown(() => receiver.close())
  const log = createLogger({
    config: false,
    base: { pid: 1, hostname: 'h' },
    transport: {
      targets: [
        { target: 'daslog/transports/csv', options: { path: join(dir, 'plain.csv') } },
        { target: 'daslog/transports/csv', options: { path: join(dir, 'ids.csv'), columns: ['event_id', 'event', 'user_id'] } },
        { target: 'daslog/transports/webhook', options: { url: receiver.url, batch: false } },
        { target: 'pino/file', options: { destination: join(dir, 'raw.log') } }
      ]
    }
  })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u2' })
  await log.close()
  const ids = readCsv(join(dir, 'ids.csv'))
  t.same(ids.map((row) => row.slice(1)), [['event', 'user_id'], ['auth_login_success', 'u1'], ['auth_login_success', 'u2']])
  const [first, second] = [ids[1]![0]!, ids[2]![0]!]
  t.match(first, uuidV7)
  t.not(first, second)
  t.same(receiver.records.map((record) => [record.event_id, record.user_id]), [[first, 'u1'], [second, 'u2']], 'the webhook got the same ids')
  t.same(readCsv(join(dir, 'plain.csv')).slice(1).map((row) => row.slice(2)), [['auth_login_success', '', '{"user_id":"u1"}'], ['auth_login_success', '', '{"user_id":"u2"}']])
  const raw = readFileSync(join(dir, 'raw.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.same(raw.map(({ time: _time, ...record }) => record), [
    { level: 30, pid: 1, hostname: 'h', event: 'auth_login_success', msg: 'auth_login_success', user_id: 'u1' },
    { level: 30, pid: 1, hostname: 'h', event: 'auth_login_success', msg: 'auth_login_success', user_id: 'u2' }
  ], 'pino/file sees the records as logged')
})

t.test('overflow and close dead letters carry the id', async (t) => {
  const deadLetter = join(tempDir('event-id'), 'dead.ndjson')
  const stream = await testTransport({ deliver: () => new Promise(() => {}), batchSize: 1 }, { deadLetter, queueSize: 2, closeTimeoutMs: 100 })
  stream.write(Array.from({ length: 5 }, (_, i) => JSON.stringify({ level: 30, event: 'a', i }) + '\n').join(''))
  await endTransport(stream)
  const dead = readDeadLetters(deadLetter)
  t.equal(dead.length, 5)
  t.equal(dead.filter((line) => /queue is full/.test(line.error as string)).length, 3, 'overflow')
  t.equal(dead.filter((line) => /close deadline/.test(line.error as string)).length, 2, 'close')
  for (const line of dead) t.match(line.record, { event_id: uuidV7, event: 'a' })
  t.equal(new Set(dead.map((line) => (line.record as { event_id: string }).event_id)).size, 5)
})

t.test('alert texts: event_id is not among the fields, and {{event_id}} asks for it', async (t) => {
  const { alertView } = await import('../../transports/shared/alert-view.js')
  const { compileText } = await import('../../transports/shared/template.js')
  const view = alertView({ event_id: '0190f3c2-7a1b-7c3d-9e4f-0123456789ab', level: 50, time: 0, event: 'payment_process_failed', order_id: 'o-1' })
  t.same(view.fields, [{ name: 'order_id', value: 'o-1' }])
  t.equal(compileText('{{event}} {{event_id}}')(view), 'payment_process_failed 0190f3c2-7a1b-7c3d-9e4f-0123456789ab')
})
