// The csv transport's line path: a row made from a line's text must be byte for byte the row the parse path
// (JSON.parse, withoutViewerMessage, rowFormatter) makes, whether the line matched a learned shape or was parsed.
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { defaultColumns, rowFormatter } from '../../transports/csv/format.js'
import { lineRowMaker, type LineRow } from '../../transports/csv/line-row.js'
import { parseLine } from '../../transports/shared/queued-lines.js'

const columnLists: ReadonlyArray<readonly string[]> = [
  defaultColumns,
  ['time', 'level', 'event', 'msg', 'data'],
  ['event', 'user_id', 'a.b', 'pid', 'hostname', 'data', 'amount'],
  ['data', 'time', 'level'],
  ['event', 'correlation_id', 'user_id'],
  ['time', 'level', 'event', 'correlation_id', 'user_id', 'ip_address', 'data']
]

interface Path { readonly name: string, readonly lineRow: LineRow, readonly parsed: (line: string) => string | undefined }

function pathsFor (columns: readonly string[]): Path {
  const toRow = rowFormatter(columns)
  const lineRow = lineRowMaker(columns, toRow)
  if (lineRow === undefined) throw new Error('no line path')
  return {
    name: columns.join(','),
    lineRow,
    parsed: (line) => {
      const record = parseLine(line)
      return record === undefined ? undefined : toRow(record)
    }
  }
}

/** A line as a test name: line and paragraph separators escaped too (they would end a TAP line). */
const shown = (text: string): string => JSON.stringify(text).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Each line twice on a fresh maker: the first may teach a shape, the second may match it; both give the parse path's row. */
function checkLines (t: Test, lines: readonly string[]): void {
  for (const columns of columnLists) {
    const path = pathsFor(columns)
    for (const line of lines) {
      const expected = path.parsed(line)
      t.equal(path.lineRow(line), expected, `${path.name}: ${shown(line)}`)
      t.equal(path.lineRow(line), expected, `${path.name}, again: ${shown(line)}`)
    }
  }
}

const base = '"level":30,"time":1796070287646,"pid":1,"hostname":"bench"'
const line = (fields: string): string => `{${base}${fields === '' ? '' : ','}${fields}}`

t.test('a pino line of plain values: the row is the parse path\'s, learned or matched', async (t) => {
  checkLines(t, [
    line('"user_id":"user_123","duration_ms":45,"source":"web_app","ip_address":"192.168.1.100","attempt":1,"event":"auth_login_success","msg":"auth_login_success"'),
    line('"correlation_id":"c-1","event":"payment_charge_failed","msg":"card declined","amount":12.5,"ok":false,"note":null'),
    line('"event":"x","msg":"x"'),
    line('"msg":"x","event":"x"'),
    line('"msg":"only a message"'),
    line('"event":5,"msg":5'),
    line('"event":null,"msg":null'),
    line('"event":true,"msg":true'),
    line('"event":"5","msg":5'),
    line(''),
    '{"event":"no level or time"}',
    '{"time":"2026-11-30","level":"warn","event":"strings"}',
    '{"time":null,"level":null,"event":"nulls"}',
    '{"time":true,"level":false,"event":"booleans"}',
    '{"time":1.5,"level":35,"event":"odd numbers"}',
    '{"level":99,"time":0,"event":"a level past fatal"}',
    line('"data":"a key named data","event":"x"'),
    line('"event_id":"0b9a7c1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d","event":"x"'),
    line('"a.b":"dotted","event":"x"'),
    line('"a":"not nested","event":"x"'),
    line('"":"an empty key","event":"x"')
  ])
})

t.test('cells a spreadsheet or terminal must not take as they are: the same treatment on the line path', async (t) => {
  checkLines(t, [
    line('"event":"=1+1","note":"=HYPERLINK(1)"'),
    line('"event":" =1+1","user_id":"+1","amount":"-5","x":"@SUM(A1)"'),
    line('"event":"a,b","note":"say it\'s fine","user_id":"tab\tinside"'),
    line('"event":"\u00a0=1","note":"\u3000@x"'),
    line('"event":"\u2028line separator","note":"\u2029"'),
    line('"event":"caf\u00e9 \u4e2d\u6587","note":"\u00e9"'),
    line('"event":"x","note":"\u0085NEL raw"'),
    line('"event":"x","note":"\u009b31mred"'),
    line('"event":"x","note":"\u202eevil"'),
    line('"event":"x","note":"emoji \ud83d\ude00"'),
    line('"event":"x","note":"lone \\ud83d"'),
    line('"event":"x","note":"escaped \\"quote\\" and \\\\ backslash"'),
    line('"event":"x","note":"a \\u001b[31m escape"'),
    line('"event":"x","note":"\\n new line"'),
    line('"event":"x","note":"\\u00e9 escaped letter"')
  ])
})

t.test('numbers: only the text JSON.stringify writes is taken as it is; any other goes through the parse', async (t) => {
  const numbers = ['0', '-0', '7', '-7', '1.5', '-0.25', '1.50', '1e3', '1E3', '1e21', '1e+21', '1e-7', '0.000001', '0.0000001', '123456.123456',
    '1234567.5', '999999999999999', '1000000000000000', '12345678901234567', '9007199254740993', '0.1', '0.30000000000000004', '5.0', '-0.0', '01', '.5', '1.', '+1']
  checkLines(t, numbers.map((n) => line(`"event":"x","amount":${n},"level2":${n}`)))
  checkLines(t, numbers.map((n) => `{"level":${n},"time":${n},"event":"x"}`))
})

t.test('keys: escapes, array indexes, __proto__, pattern characters and duplicates', async (t) => {
  checkLines(t, [
    line('"0":"first by for...in","event":"x","10":"an index"'),
    line('"4294967295":"not an index","event":"x"'),
    line('"01":"not an index either","event":"x"'),
    line('"__proto__":"own key","event":"x"'),
    line('"a\\"b":"escaped key","event":"x"'),
    line('"$x":1,"(y)":2,"[z]":3,"a+b*c?":4,"^|{}":5,"\\\\":6,"event":"x"'),
    line('"(y)":2,"event":"x","note":"a group in a key must not shift the captures"'),
    line('"a.b":1,"event":"x"'),
    line('"aXb":1,"event":"x"'),
    line('"user_id":"u","0":"an index after another key","event":"x"'),
    line('"user_id":"first","event":"x","user_id":"second"'),
    line('"event":"first","event":"second"'),
    line('"pid":2,"event":"x"'),
    line('"event":"x","msg":"x","msg":"y"')
  ])
})

t.test('lines that are not a flat JSON object of plain values: parsed, or undefined when not JSON', async (t) => {
  const lines = [
    line('"event":"x","user":{"id":1,"name":"a"}'),
    line('"event":"x","tags":["a","b"]'),
    line('"event":"x","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at x"}'),
    '{ "event": "spaces" }',
    '{"event":"x"} ',
    '{}',
    '[1,2]',
    '5',
    '"a string"',
    'null',
    'not json',
    '{"event":"x",}',
    '{"event":"x"',
    '{"event":"x"}}',
    '{"event":"x","a":truex}',
    '{"event":"x","a":1x}',
    '{"event":"x","a":"raw\u0001control"}',
    '{"event":"x","a":"raw\ttab"}',
    ''
  ]
  checkLines(t, lines)
  const path = pathsFor(defaultColumns)
  for (const bad of ['[1,2]', '5', 'not json', '{"event":"x",}', '']) t.equal(path.lineRow(bad), undefined, `not a record: ${JSON.stringify(bad)}`)
})

t.test('a learned shape refuses a line of the same keys whose values it cannot take as they are', async (t) => {
  const path = pathsFor(defaultColumns)
  const plain = line('"a":1,"b":"x","event":"e"')
  t.equal(path.lineRow(plain), path.parsed(plain))
  for (const variant of [
    line('"a":1.50,"b":"x","event":"e"'),
    line('"a":{"n":1},"b":"x","event":"e"'),
    line('"a":[1],"b":"x","event":"e"'),
    line('"a":1,"b":"x\\"y","event":"e"'),
    line('"a":1,"b":"x\u0085","event":"e"'),
    line('"a":1,"b":"x","event":"e","c":2'),
    line('"a":1,"event":"e"'),
    line('"b":"x","a":1,"event":"e"'),
    line('"a":1,"b":"x","event":"e"') + ' ',
    line('"a":1,"b":"x","event":"e"') + '\r',
    plain
  ]) t.equal(path.lineRow(variant), path.parsed(variant), shown(variant))
})

t.test('many shapes: more than are tried per line, and more than are kept', async (t) => {
  const path = pathsFor(defaultColumns)
  for (let round = 0; round < 3; round++) {
    for (let shape = 0; shape < 300; shape++) {
      const text = line(`"k${shape}":${shape},"event":"e${shape % 7}","msg":"e${shape % 5}"`)
      t.equal(path.lineRow(text), path.parsed(text), `shape ${shape}, round ${round}`)
    }
  }
  for (let i = 0; i < 50; i++) {
    const text = line(`"k${i % 6}":"v${i}","event":"e"`)
    t.equal(path.lineRow(text), path.parsed(text), `six shapes in turn, line ${i}`)
  }
})

t.test('an event_id column is left to the parse path (the runtime gives ids after a line is read)', async (t) => {
  t.equal(lineRowMaker(['event_id', 'event'], rowFormatter(['event_id', 'event'])), undefined)
})

t.test('random records, and random edits of their lines: the line path always gives the parse path\'s row', async (t) => {
  const keys = ['level', 'time', 'pid', 'hostname', 'event', 'msg', 'correlation_id', 'user_id', 'amount', 'data', 'a.b', '0', '7', '__proto__', 'k"q', 'event_id', '$', '']
  const strings = fc.oneof(fc.string(), fc.constantFrom('=1+1', ' -5', 'a,b', 'x"y', '\u2028', '\u009b31m', '\ud83d\ude00', '\ud83d', 'auth_login_success', 'caf\u00e9'))
  const numbers = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1e21, 1e-7, 0.000001, 2 ** 53 + 2, 1796070287646, 30, 35))
  const value = fc.oneof(strings, numbers, fc.boolean(), fc.constant(null), fc.record({ n: numbers }), fc.array(strings, { maxLength: 2 }))
  const record = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 9 })
  const edit = fc.constantFrom('none', 'none', 'none', 'repeat a key', 'space', 'cut', 'nested event')
  const paths = columnLists.map(pathsFor)
  fc.assert(fc.property(record, edit, (pairs, how) => {
    let text = '{' + pairs.map(([key, v]) => `${JSON.stringify(key)}:${JSON.stringify(v)}`).join(',') + '}'
    if (how === 'repeat a key' && pairs.length > 0) text = text.slice(0, -1) + (pairs.length > 0 ? ',' : '') + `${JSON.stringify(pairs[0]![0])}:"again"}`
    if (how === 'space') text = text.replace(':', ': ')
    if (how === 'cut') text = text.slice(0, Math.max(1, text.length - 3))
    if (how === 'nested event') text = text.slice(0, -1) + (pairs.length > 0 ? ',' : '') + '"event":{"x":1}}'
    for (const path of paths) {
      const expected = path.parsed(text)
      if (path.lineRow(text) !== expected || path.lineRow(text) !== expected) return false
    }
    return true
  }), { numRuns: 3_000, seed: 1130 })
  t.pass('3,000 random lines agreed on every column list')
})
