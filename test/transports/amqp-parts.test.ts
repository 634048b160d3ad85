// The amqp transport's parts without a broker: routing keys from templates
// and catalogs, and a record as a message (properties and body).
import t from 'tap'
import { defineCatalog } from '../../src/index.js'
import { checkRoutingKey, routingKeyOf, routingKeysOf } from '../../transports/amqp/routing-key.js'
import { messageOf } from '../../transports/amqp/message.js'

const catalog = defineCatalog({
  events: {
    password_reset_link_sent: { domain: 'password_reset', action: 'link', status: 'sent', audit: true, fields: {} }
  }
})

t.test('routing keys: the catalog\'s parts, else the event name; {event} templates for unknown events too', async (t) => {
  const das = routingKeyOf('{domain}.{action}.{status}', routingKeysOf('{domain}.{action}.{status}', catalog))
  t.equal(das('password_reset_link_sent'), 'password_reset.link.sent')
  t.equal(das('not_in_catalog'), 'not_in_catalog')
  const prefixed = routingKeyOf('audit.{event}', routingKeysOf('audit.{event}', catalog))
  t.equal(prefixed('password_reset_link_sent'), 'audit.password_reset_link_sent')
  t.equal(prefixed('other_thing_done'), 'audit.other_thing_done')
  t.equal(routingKeyOf('fixed', {})('anything'), 'fixed')
  t.equal(routingKeyOf('{domain}.{action}.{status}', { a_b_c: 'custom' })('a_b_c'), 'custom', 'an explicit key wins')
  t.throws(() => checkRoutingKey('routingKey', '{domain}.{verb}'), { message: /unknown placeholder \{verb\}/ })
  t.throws(() => checkRoutingKey('routingKey', 'x'.repeat(256)), { message: /255 bytes/ })
})

t.test('a record as a message: JSON body, messageId = event_id, type, timestamp in seconds, headers, mandatory, persistent', async (t) => {
  const record = { level: 50, time: 1_700_000_123_456, event: 'a_b_c', correlation_id: 'c-1', x: 1, event_id: '01900000-0000-7000-8000-000000000001' }
  const { envelope, body } = messageOf(record, { exchange: 'ex', persistent: true, routingKey: () => 'a.b.c' })
  t.same(envelope, {
    exchange: 'ex',
    routingKey: 'a.b.c',
    mandatory: true,
    durable: true,
    contentType: 'application/json',
    messageId: record.event_id,
    type: 'a_b_c',
    timestamp: 1_700_000_123,
    headers: { level: 50, correlation_id: 'c-1' }
  })
  t.same(JSON.parse(body.toString()), record)
  const bare = messageOf({ event: 'a_b_c', event_id: record.event_id }, { exchange: 'ex', persistent: false, routingKey: () => 'k' })
  t.same(bare.envelope.headers, {}, 'no level or correlation_id: no headers for them')
  t.equal(bare.envelope.durable, false)
})
