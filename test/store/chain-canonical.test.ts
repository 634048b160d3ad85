// The chain's canonical encoding: jsonb's text in RFC 8785 key order, numbers kept as stored.
import t from 'tap'
import fc from 'fast-check'
import { canonicalJson, canonicalRow, chainHash, genesisHash } from '../../src/store/chain.js'

/** What RFC 8785 makes of a value without numbers to normalise: keys sorted by UTF-16 code units, no whitespace. */
function sortedJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

t.test('any JSON, however spaced and ordered, comes out sorted and without whitespace', async (t) => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
    const spaced = JSON.stringify(value, null, 1)
    return canonicalJson(spaced) === sortedJson(JSON.parse(spaced))
  }), { numRuns: 300 })
  t.pass()
})

t.test('numbers keep the text PostgreSQL stores; strings as jsonb escapes them (as JSON.stringify does)', async (t) => {
  t.equal(canonicalJson(`{"b": 5.0, "a": [1e+2, -0.50, true, null], "é": "é\\n\\u0001"}`), `{"a":[1e+2,-0.50,true,null],"b":5.0,"é":"é\\n\\u0001"}`)
  t.not(canonicalJson('{"a": 5.0}'), canonicalJson('{"a": 5}'), '5.0 is not 5')
  t.throws(() => canonicalJson('{"a": 5} x'), SyntaxError)
  t.throws(() => canonicalJson('{"a" 5}'), SyntaxError)
})

t.test('a row: every column in the hash, keys sorted', async (t) => {
  const row = { event_id: '01900000-0000-7000-8000-000000000001', time: '2026-01-01T00:00:00.123456Z', level: '30', event: 'a_b_c', domain: 'a', action: 'b', status: 'c', correlation_id: null, service: 's', data: '{"x": 1}' }
  t.equal(canonicalRow(row), '{"action":"b","correlation_id":null,"data":{"x":1},"domain":"a","event":"a_b_c","event_id":"01900000-0000-7000-8000-000000000001","level":30,"service":"s","status":"c","time":"2026-01-01T00:00:00.123456Z"}')
  const hash = chainHash(genesisHash, row)
  t.match(hash, /^[0-9a-f]{64}$/)
  for (const [column, value] of [['time', '2026-01-01T00:00:00.123457Z'], ['domain', 'z'], ['service', null], ['level', null], ['data', '{"x": 1.0}']] as const) {
    t.not(chainHash(genesisHash, { ...row, [column]: value }), hash, `${column} is hashed`)
  }
  t.not(chainHash('1'.repeat(64), row), hash, 'the previous hash is hashed')
})
