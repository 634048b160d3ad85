// What `daslog serve` answers over real HTTP on 127.0.0.1, run on the embedded store and on PostgreSQL.
import type { Test } from 'tap'
import { Webhook } from 'standardwebhooks'
import type { Collector } from '../../src/serve/server.js'
import { idOf } from '../store/helpers.js'
import { basic, bearer, call, json, otherSecret, signingSecret } from './helpers.js'

const seedEvent = `{
    "event_type": "old_account",
    "user_identity": "Asad_Zaman",
    "event_data": {
        "account_id": 1346,
        "email": "john.doe@example.com"
    }
}`

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function serveSuite (t: Test, collector: () => Collector): void {
  const url = (): string => collector().url
  const post = (body: string | Buffer, headers: Record<string, string> = bearer()): ReturnType<typeof call> => call(url(), 'POST', '/events', { headers: { ...json, ...headers }, body })
  const get = (path: string, headers: Record<string, string> = bearer()): ReturnType<typeof call> => call(url(), 'GET', path, { headers })

  t.test("seeds/003's flow: its curl body with basic auth, then found by user_identity and by a nested number", async (t) => {
    const posted = await post(seedEvent, basic)
    t.equal(posted.status, 201)
    t.match(posted.body, { accepted: 1, duplicates: 0 })
    t.equal(posted.body.event_ids.length, 1)
    t.match(posted.body.event_ids[0], uuid)
    const expected = {
      event_id: posted.body.event_ids[0],
      level: 30,
      event: 'old_account',
      user_identity: 'Asad_Zaman',
      event_data: { account_id: 1346, email: 'john.doe@example.com' }
    }
    const found = await get('/events/query?user_identity=Asad_Zaman', basic)
    t.equal(found.status, 200)
    t.equal(found.body.next, null)
    t.equal(found.body.events.length, 1)
    const { time, ...rest } = found.body.events[0]!
    t.same(rest, expected)
    t.ok(Math.abs(Date.parse(String(time)) - Date.now()) < 60_000, 'stored with the time it arrived')
    t.same((await get('/events?event_data.account_id=1346')).body.events.map((e) => e.event_id), [expected.event_id], 'the text 1346 finds the number')
    t.same((await get('/events?event_data.account_id=1347')).body, { events: [], next: null })
  })

  t.test('daslog records and arrays: ids kept, repeats counted as duplicates and stored once, filters and pages', async (t) => {
    const records = Array.from({ length: 5 }, (_, i) => ({
      event_id: idOf(100 + i), time: `2026-03-01T10:00:0${i}.000Z`, level: i < 3 ? 30 : 50, event: i % 2 === 0 ? 'order_place_success' : 'order_place_failed', msg: i % 2 === 0 ? 'order_place_success' : 'order_place_failed', correlation_id: 'c-7', seq: i
    }))
    const first = await post(JSON.stringify(records))
    t.equal(first.status, 201)
    t.same(first.body, { accepted: 5, duplicates: 0, event_ids: records.map((r) => r.event_id) })
    const again = await post(JSON.stringify(records.slice(3).concat([{ ...records[0]!, event_id: idOf(105), time: '2026-03-01T10:00:05.000Z', seq: 5 }])))
    t.same(again.body, { accepted: 1, duplicates: 2, event_ids: [idOf(103), idOf(104), idOf(105)] })
    const one = await post(JSON.stringify({ event: 'order_ship_success', correlation_id: 'c-8' }))
    t.equal(one.status, 201)
    t.match(one.body.event_ids[0], uuid)

    const byCorrelation = await get('/events?correlation_id=c-7&limit=4')
    t.same(byCorrelation.body.events.map((e) => e.seq), [5, 4, 3, 2], 'newest first, 4 a page')
    t.same(byCorrelation.body.events[1], { event_id: idOf(104), time: '2026-03-01T10:00:04.000Z', level: 50, event: 'order_place_success', correlation_id: 'c-7', seq: 4 }, 'whole record, msg not kept')
    const page2 = await get(`/events?correlation_id=c-7&limit=4&after=${byCorrelation.body.next!}`)
    t.same(page2.body.events.map((e) => e.seq), [1, 0])
    t.equal(page2.body.next, null)
    t.same((await get('/events?correlation_id=c-7&event=*_failed')).body.events.map((e) => e.seq), [3, 1])
    t.same((await get('/events?correlation_id=c-7&event=order_place_failed&event=order_place_success&level=error')).body.events.map((e) => e.seq), [4, 3])
    t.same((await get('/events?correlation_id=c-7&from=2026-03-01T10:00:01Z&to=2026-03-01T10:00:02Z')).body.events.map((e) => e.seq), [2, 1])
    t.same((await get('/events?correlation_id=c-7&seq=3')).body.events.map((e) => e.event_id), [idOf(103)], 'a field as text finds the number')
  })

  t.test('a batch is stored whole or not at all: one bad record refuses it, naming the record and field', async (t) => {
    const batch = [{ event: 'batch_check_success', event_id: idOf(200) }, { event: 'Batch Check', event_id: idOf(201) }]
    const refused = await post(JSON.stringify(batch))
    t.equal(refused.status, 400)
    t.equal(refused.body.error.code, 'invalid_event')
    t.match(refused.body.error.message, /^records\[1\]\.event: expected an event name, lowercase words joined by "_"/)
    t.same((await get('/events?event=batch_check_success')).body.events, [], 'the good record was not stored either')
  })

  t.test('every bad body is a 400 naming what is wrong', async (t) => {
    const cases: Array<[string, string, RegExp]> = [
      ['{"event": "a_b", ', 'invalid_json', /^the body is not JSON/],
      ['[]', 'invalid_body', /non-empty array/],
      ['"text"', 'invalid_record', /^the body: expected a JSON object/],
      ['[{"event":"a_b"}, 7]', 'invalid_record', /^records\[1\]: expected a JSON object.*got number/],
      ['{"msg":"hello"}', 'invalid_event', /^event: expected an event name/],
      ['{"event":"UserLogin"}', 'invalid_event', /^event: .*got "UserLogin"/],
      ['{"event":"user__login"}', 'invalid_event', /^event: /],
      ['{"event_type":"Old Account","user_identity":"x"}', 'invalid_event', /^event_type: /],
      ['{"event":"a_b","event_id":"42"}', 'invalid_event_id', /^event_id: expected a UUID, got "42"/],
      ['{"event":"a_b","time":"yesterday"}', 'invalid_time', /^time: .*got "yesterday"/],
      ['{"event":"a_b","level":"loud"}', 'invalid_level', /^level: .*got "loud"/]
    ]
    for (const [body, code, message] of cases) {
      const answer = await post(body)
      t.equal(answer.status, 400, body)
      t.equal(answer.body.error.code, code, body)
      t.match(answer.body.error.message, message, body)
    }
  })

  t.test('every bad query parameter is a 400 naming it', async (t) => {
    const cases: Array<[string, RegExp]> = [
      ['limit=0', /^limit: expected a whole number from 1 to 1000, got "0"/],
      ['limit=ten', /^limit: /],
      ['level=loud', /^level: expected trace, debug/],
      ['from=yesterday', /^from: expected/],
      ['to=2026-13-45', /^to: expected/],
      ['after=nonsense', /^after: expected the `next` cursor/],
      ['event=a%20b', /^event: /],
      ['correlation_id=a&correlation_id=b', /^correlation_id: given 2 times/],
      ['a..b=1', /^"a\.\.b": expected a field name/]
    ]
    for (const [query, message] of cases) {
      const answer = await get(`/events?${query}`)
      t.equal(answer.status, 400, query)
      t.equal(answer.body.error.code, 'invalid_parameter', query)
      t.match(answer.body.error.message, message, query)
    }
  })

  t.test('over 1 MiB is a 413 the client sees (declared or streamed), a wrong method 405, an unknown path 404', async (t) => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20)
    const declared = await post(big)
    t.equal(declared.status, 413)
    t.equal(declared.body.error.code, 'body_too_large')
    const streamed = await call(url(), 'POST', '/events', { headers: { ...json, ...bearer(), 'transfer-encoding': 'chunked' }, body: big })
    t.equal(streamed.status, 413)
    const exact = await post(Buffer.concat([Buffer.from('{"event":"size_limit_reached"}'), Buffer.alloc(1024 * 1024 - 30, 0x20)]))
    t.equal(exact.status, 201, 'exactly 1 MiB is taken')
    const wrong = await call(url(), 'DELETE', '/events', { headers: bearer() })
    t.equal(wrong.status, 405)
    t.equal(wrong.headers.allow, 'POST, GET')
    t.match(wrong.body.error, { code: 'method_not_allowed', message: /\/events answers POST, GET, not DELETE/ })
    t.equal((await call(url(), 'POST', '/events/query', { headers: bearer() })).status, 405)
    t.equal((await call(url(), 'POST', '/healthz')).status, 405)
    t.equal((await get('/nothing')).status, 404)
  })

  t.test('auth: either bearer token (rotation), basic, or a Standard Webhooks signature; anything else 401; /healthz and /metrics open', async (t) => {
    const body = '{"event":"auth_check_success"}'
    for (const headers of [bearer('t-old'), bearer('t-new'), basic]) t.equal((await post(body, headers)).status, 201)
    const refusals: Array<Record<string, string>> = [
      {}, bearer('t-newer'), bearer(''), { authorization: 'Bearer' }, { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` },
      { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}x` }, { authorization: 't-new' }
    ]
    for (const headers of refusals) {
      const answer = await post(body, headers)
      t.equal(answer.status, 401, JSON.stringify(headers))
      t.equal(answer.body.error.code, 'unauthorized')
      t.equal(answer.headers['www-authenticate'], 'Bearer, Basic realm="daslog"')
      t.equal((await get('/events', headers)).status, 401)
    }
    const id = 'msg_suite'
    const now = new Date()
    const signed = new Webhook(signingSecret).sign(id, now, body)
    t.equal((await post(body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signed })).status, 201, 'signed by the standardwebhooks library')
    const forged = new Webhook(otherSecret).sign(id, now, body)
    const forgedAnswer = await post(body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': forged })
    t.equal(forgedAnswer.status, 401)
    t.match(forgedAnswer.body.error.message, /no webhook-signature matches the body/)
    const tampered = await post(body.replace('check', 'chekk'), { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signed })
    t.equal(tampered.status, 401, 'the signature covers the raw body')
    const old = new Date(now.getTime() - 6 * 60_000)
    const replayed = await post(body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': new Webhook(signingSecret).sign(id, old, body) })
    t.equal(replayed.status, 401)
    t.match(replayed.body.error.message, /more than 5 minutes/)
    t.equal((await get('/events', { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signed })).status, 401, 'a signature lets in a POST only')
    t.same((await get('/healthz', {})).body, { status: 'ok' })
    t.equal((await get('/metrics', {})).status, 200)
  })

  t.test('/metrics: requests by route and status, events accepted and duplicated, store latency', async (t) => {
    const record = JSON.stringify({ event: 'metric_check_success', event_id: idOf(300) })
    await post(record)
    await post(record)
    const text = (await get('/metrics', {})).text
    t.match(text, /daslog_serve_requests_total\{route="\/events",method="POST",status="201"\} \d+/)
    t.match(text, /daslog_serve_requests_total\{route="\/events",method="GET",status="400"\} \d+/)
    t.match(text, /daslog_serve_events_duplicates_total [1-9]\d*/)
    t.match(text, /daslog_serve_events_accepted_total [1-9]\d*/)
    t.match(text, /daslog_serve_store_seconds_count\{operation="insert",outcome="ok"\} [1-9]\d*/)
    const accepted = Number(/daslog_serve_events_accepted_total (\d+)/.exec(text)![1])
    await post(JSON.stringify({ event: 'metric_check_success' }))
    const after = (await get('/metrics', {})).text
    t.equal(Number(/daslog_serve_events_accepted_total (\d+)/.exec(after)![1]), accepted + 1)
  })
}
