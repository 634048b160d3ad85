// The chained insert's prediction of what PostgreSQL prints (src/store/stored-text.ts),
// checked against the local PostgreSQL server itself: jsonb's text of each value, and
// the canonical JSON the chain hashes made from that text.
import t from 'tap'
import fc from 'fast-check'
import { canonicalJson } from '../../src/store/chain.js'
import { storedForms, storedTime } from '../../src/store/stored-text.js'
import { serverUrl, sql } from './helpers.js'

/** PostgreSQL's jsonb text of each JSON text, in one round trip. */
async function jsonbTexts (texts: readonly string[]): Promise<string[]> {
  const rows = await sql<{ text: string }>(serverUrl, 'SELECT v::jsonb::text AS text FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n', [texts])
  return rows.map((row) => row.text)
}

t.test('what is predicted is what jsonb prints, and its canonical form is canonicalJson of that text', async (t) => {
  const values: unknown[] = [
    { b: 1, aa: 2, a: 3, B: 4, ab: { z: [], y: {}, x: [1, [2, { c: null }]] } },
    { text: 'q"\\\n\t\r\b\f\u0001\u001f\u007f é 😀 \u2028', n: [0, -1, 0.1, -12.5, 1e20, 0.000001, 123.456, 2 ** 53, -0] },
    [true, false, null, '', {}, []],
    'just a string',
    42.5,
    { 'key with spaces': 1, '': 2, '~': 3, '!': 4 }
  ]
  // Generated JSON too: any (much of it not predicted: keys outside ASCII, numbers with exponents), and the kind logs
  // hold (ASCII keys, any text, integers and decimals). PostgreSQL refuses U+0000 and lone surrogates in jsonb, so
  // those are not asked about.
  const key = fc.stringMatching(/^[ !#-[\]-~]{0,10}$/)
  const logLike = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), fc.integer(), fc.integer().map((n) => n / 1000), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 6 })
  })).object
  for (const value of [...fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 200, seed: 25 }), ...fc.sample(logLike, { numRuns: 300, seed: 19 })]) {
    const json = JSON.stringify(value)
    if (!json.includes('\\u0000') && !/\\ud[89a-f]/i.test(json)) values.push(value)
  }
  const predicted = values.map((value) => storedForms(value))
  const asked = values.filter((_, i) => predicted[i] !== undefined)
  t.ok(asked.length > 300, `many values are predicted (${asked.length} of ${values.length})`)
  const printed = await jsonbTexts(asked.map((value) => JSON.stringify(value)))
  const forms = predicted.filter((forms) => forms !== undefined)
  let same = 0
  for (let i = 0; i < asked.length; i++) {
    if (forms[i]!.stored === printed[i] && forms[i]!.canonical === canonicalJson(printed[i]!)) same++
    else t.fail(`${JSON.stringify(asked[i])}: predicted ${forms[i]!.stored}, PostgreSQL printed ${printed[i]!}`)
  }
  t.equal(same, asked.length, 'every prediction held')
})

t.test('what might print otherwise is not predicted: the insert then reads PostgreSQL\'s text instead', async (t) => {
  class Point { x = 1 }
  let deep: unknown = 1
  for (let i = 0; i < 70; i++) deep = [deep]
  const refused: Array<[string, unknown]> = [
    ['a number JSON writes with an exponent', { n: 1e21 }],
    ['a tiny number', [1e-7]],
    ['NaN', NaN],
    ['Infinity', { n: Infinity }],
    ['a key outside ASCII', { ключ: 1 }],
    ['a key with a quote', { 'a"b': 1 }],
    ['a key with a backslash', { 'a\\b': 1 }],
    ['a key with a control character', { 'a\nb': 1 }],
    ['U+0000 in a string', { s: 'a\u0000b' }],
    ['undefined in an object', { u: undefined }],
    ['undefined in an array', [undefined]],
    ['a function', { f: () => 1 }],
    ['a Date', { d: new Date(0) }],
    ['a Map', new Map()],
    ['a class instance', new Point()],
    ['a BigInt', { b: 1n }],
    ['a symbol', Symbol('s')],
    ['nesting deeper than 64', deep]
  ]
  for (const [what, value] of refused) t.equal(storedForms(value), undefined, what)
  t.same(storedForms(Object.assign(Object.create(null), { b: 1, aa: 2 })), { stored: '{"b": 1, "aa": 2}', canonical: '{"aa":2,"b":1}' }, 'an object without a prototype, as the store makes data')
})

t.test('times: milliseconds in UTC are printed with microseconds; anything else is not predicted', async (t) => {
  const iso = '2026-03-01T12:00:00.123Z'
  t.equal(storedTime(iso), '2026-03-01T12:00:00.123000Z')
  const [row] = await sql<{ text: string }>(serverUrl, `SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS text`, [iso])
  t.equal(row!.text, storedTime(iso), 'as PostgreSQL prints it')
  for (const other of ['2026-03-01T12:00:00Z', '2026-03-01T12:00:00.123456Z', '2026-03-01T14:00:00.123+02:00', '+010000-01-01T00:00:00.000Z', '2026-03-01']) t.equal(storedTime(other), undefined, other)
})
