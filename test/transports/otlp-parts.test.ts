// The otlp transport's record mapping on its own: the edges a whole-transport test does not reach.
import t from 'tap'
import { anyValue } from '../../transports/otlp/any-value.js'
import { toOtlpLogRecord } from '../../transports/otlp/log-record.js'
import { protobufEncoding } from '../../transports/otlp/encoding.js'
import { exportRequest } from '../../transports/otlp/proto.js'

const observed = 1n

t.test('values: int64 only for safe integers, null as no value, deep nesting cut into JSON text', async (t) => {
  t.same(anyValue(-7), { intValue: -7 })
  t.same(anyValue(2 ** 60), { doubleValue: 2 ** 60 })
  t.same(anyValue(0.1), { doubleValue: 0.1 })
  t.same(anyValue(null), {})
  let deep: unknown = 'bottom'
  for (let i = 0; i < 40; i++) deep = { d: deep }
  let value = anyValue(deep) as Record<string, unknown>
  let depth = 0
  while ('kvlistValue' in value) {
    value = (value.kvlistValue as { values: Array<{ value: Record<string, unknown> }> }).values[0]!.value
    depth++
  }
  t.equal(depth, 32, 'nested kvlists up to the limit')
  t.match(value, { stringValue: /^\{"d":\{"d":/ }, 'the rest as its JSON text')
})

t.test('lone surrogates become U+FFFD, in keys and values, so the protobuf is valid UTF-8', async (t) => {
  const record = toOtlpLogRecord({ level: 30, time: 1, event: 'e\uD800', ['k\uDC00']: 'v\uD83D' }, observed)
  t.equal(record.eventName, 'e\uFFFD')
  t.same(record.attributes, [{ key: 'k\uFFFD', value: { stringValue: 'v\uFFFD' } }])
  const body = protobufEncoding.encode([], [{ level: 30, time: 1, event: 'e\uD800' }])
  const decoded = exportRequest.toObject(exportRequest.decode(body)) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ eventName: string }> }> }> }
  t.equal(decoded.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.eventName, 'e\uFFFD')
  t.ok(body.includes(Buffer.from('e\uFFFD')), 'U+FFFD on the wire')
  t.notOk(body.includes(Buffer.from([0xed, 0xa0, 0x80])), 'no encoded lone surrogate (invalid UTF-8, which a Collector refuses)')
})

t.test('trace fields of another shape stay attributes; trace_flags as a number; err as a string; level names', async (t) => {
  const odd = toOtlpLogRecord({ level: 'warn', event: 'e', trace_id: 'xyz', span_id: 42, trace_flags: 'zz' }, observed)
  t.same([odd.traceId, odd.spanId, odd.flags], [undefined, undefined, undefined])
  t.same(odd.attributes.map((a) => a.key), ['trace_id', 'span_id', 'trace_flags'])
  t.same([odd.severityNumber, odd.severityText], [13, 'warn'])
  const numeric = toOtlpLogRecord({ level: 30, event: 'e', trace_id: 'AF7651916CD43DD8448EB211C80319C0', span_id: 'B7AD6B7169203331', trace_flags: 1 }, observed)
  t.same([numeric.traceId, numeric.spanId, numeric.flags], ['af7651916cd43dd8448eb211c80319c0', 'b7ad6b7169203331', 1])
  t.same(toOtlpLogRecord({ level: 50, event: 'e', err: 'plain text' }, observed).attributes, [{ key: 'exception.message', value: { stringValue: 'plain text' } }])
  t.same([toOtlpLogRecord({ level: 'audit', event: 'e' }, observed).severityNumber, toOtlpLogRecord({ event: 'e' }, observed).severityNumber], [0, 0], 'unknown level: UNSPECIFIED')
  t.same(toOtlpLogRecord({ level: 30, event: 'e', time: 'yesterday' }, observed).attributes, [{ key: 'time', value: { stringValue: 'yesterday' } }], 'an unreadable time is kept as an attribute')
  t.same(toOtlpLogRecord({ level: 30, event: 'e', event_id: '0190a5d4-6f1e-7c3a-9b2d-1f0e4c5a6b7d' }, observed).attributes, [{ key: 'log.record.uid', value: { stringValue: '0190a5d4-6f1e-7c3a-9b2d-1f0e4c5a6b7d' } }])
})
