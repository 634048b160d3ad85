// CSV cells and rows: RFC 4180 quoting, formula neutralization (behind leading whitespace too), stripped controls and terminal sequences, read back by csv-parse.
import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { csvCell, defaultColumns, headerLine, rowFormatter } from '../../transports/csv/format.js'

const readRow = (row: string): string[] => (parse(row) as string[][])[0]!

t.test('cells: plain text as is; commas, quotes and line breaks quoted as RFC 4180 asks', async (t) => {
  t.equal(csvCell('plain text'), 'plain text')
  t.equal(csvCell('a,b'), '"a,b"')
  t.equal(csvCell('say "hi"'), '"say ""hi"""')
  t.equal(csvCell('two\r\nlines'), '"two\r\nlines"')
  t.equal(csvCell('x\ny'), '"x\ny"')
})

t.test('cells: a formula start (= + - @ tab CR) is neutralized with a leading quote', async (t) => {
  t.equal(csvCell('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"')
  t.equal(csvCell('+1+1'), "'+1+1")
  t.equal(csvCell('-2+3'), "'-2+3")
  t.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
  t.equal(csvCell('\t=1'), "'\t=1")
  t.equal(csvCell('\r=1'), '"\'\r=1"')
  t.equal(csvCell('a=b'), 'a=b', 'only at the start')
})

t.test('cells: a formula behind leading whitespace (spaces, no-break and other Unicode spaces, a BOM) is neutralized too', async (t) => {
  // LibreOffice's "Trim spaces" import option evaluates ' =1+1'.
  const formulas = [' =1+1', '   =HYPERLINK("http://evil.example","x")', '\u00a0=1+1', '\u2003+1+1', '\u3000@SUM(A1)', '\ufeff=1', '\u200b-1+2', '\n=1', ' \t=1', '\u00a0 \u2009=1']
  for (const cell of formulas) t.same(readRow(csvCell(cell) + '\r\n'), [`'${cell}`], JSON.stringify(cell))
  for (const cell of [' plain', ' 5', 'a =1', '  ', ' \tfoo']) t.same(readRow(csvCell(cell) + '\r\n'), [cell], `${JSON.stringify(cell)} as it is`)
  t.same(readRow(csvCell(' -5') + '\r\n'), ["' -5"], 'a string is never taken for a number: a leading - after spaces is neutralized, as without them')
  t.equal(csvCell('\u200e =1'), "' =1", 'stripping a bidi mark cannot uncover it either')
})

t.test('cells: terminal sequences are stripped whole, and cannot hide a formula', async (t) => {
  t.same(readRow(csvCell('\u001b[31mred\u001b[0m') + '\r\n'), ['red'], 'no [31m left behind')
  t.same(readRow(csvCell('\u009b31mred') + '\r\n'), ['red'], 'the 8-bit CSI')
  t.same(readRow(csvCell('\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007, \u001b]0;title\u001b\\x') + '\r\n'), ['link, x'], 'OSC links and titles')
  t.same(readRow(csvCell('\u001b[31m=1+1') + '\r\n'), ["'=1+1"])
  t.same(readRow(csvCell(' \u001b[1m=1') + '\r\n'), ["' =1"])
})

t.test('data: 8-bit sequences (raw in JSON) go whole from values and keys; ESC sequences stay JSON escapes, which no terminal acts on', async (t) => {
  const row = rowFormatter(['event', 'data'])({ event: 'x_y_started', note: '\u009b31mred \u001b[1mbold', nested: { title: '\u009d0;pwned\u009cok' }, 'k\u009b1m': 1 })
  t.same(JSON.parse(readRow(row)[1]!), { note: 'red \u001b[1mbold', nested: { title: 'ok' }, k: 1 })
})

t.test('cells: C0 controls (but tab, CR, LF), DEL, C1 controls and bidi controls are stripped', async (t) => {
  t.equal(csvCell('a\u0000b\u0007c\u007fd\u001b'), 'abcd')
  t.equal(csvCell('a\u001bdb'), 'ab', 'ESC d is an escape sequence (ESC and its final byte): both go')
  t.equal(csvCell('a\u0080b\u0085c\u0090d\u009fe'), 'abcde', 'C1 (U+0080-U+009F)')
  t.equal(csvCell('safe\u202Etxt.exe\u2066\u2069\u200F'), 'safetxt.exe')
  t.equal(csvCell('\u0000=1'), "'=1", 'stripping cannot uncover a formula')
  t.equal(csvCell('tab\there'), 'tab\there')
})

t.test('rows: time as ISO 8601, level by name, the other fields as JSON in data', async (t) => {
  const row = rowFormatter([...defaultColumns])({ level: 50, time: Date.UTC(2026, 10, 23, 10, 0, 0, 123), pid: 1, hostname: 'h', event: 'payment_process_failed', correlation_id: 'c-1', order_id: 'o,1', amount: 9.5, tags: ['a', '"b"'], nested: { ok: true } })
  t.equal(headerLine(defaultColumns), 'time,level,event,correlation_id,data\r\n')
  t.same(readRow(row), ['2026-11-23T10:00:00.123Z', 'error', 'payment_process_failed', 'c-1', '{"order_id":"o,1","amount":9.5,"tags":["a","\\"b\\""],"nested":{"ok":true}}'])
  t.same(JSON.parse(readRow(row)[4]!), { order_id: 'o,1', amount: 9.5, tags: ['a', '"b"'], nested: { ok: true } })
  t.ok(row.endsWith('\r\n'))
})

t.test('rows: missing values are empty cells, numbers are never neutralized, dotted columns read nested fields', async (t) => {
  const format = rowFormatter(['event', 'user.id', 'amount', 'missing', 'data'])
  t.same(readRow(format({ event: 'x_y_started', user: { id: 'u-1', role: 'admin' }, amount: -5 })), ['x_y_started', 'u-1', '-5', '', '{"user":{"id":"u-1","role":"admin"}}'])
  t.same(readRow(format({ event: 'x_y_started', 'user.id': 'flat wins', user: { id: 'nested' } })), ['x_y_started', 'flat wins', '', '', '{"user":{"id":"nested"}}'])
  t.same(readRow(rowFormatter(['event', 'data'])({ event: 'x_y_started' })), ['x_y_started', ''], 'no other field: an empty data cell')
})

/**
 * What a cell holds once read back: the text minus escape sequences (here ESC,
 * intermediate bytes 0x20-0x2F, a final byte 0x30-0x7E: the only kind these
 * characters can make) and stripped characters, with `'` before a formula
 * start, leading whitespace allowed.
 */
function expectedCell (text: string): string {
  // eslint-disable-next-line no-control-regex -- the sequences and characters the CSV transport strips
  const kept = text.replace(/\u001b[\u0020-\u002f]*[\u0030-\u007e]/g, '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')
  return /^(?:[\t\r]|\s*[=+\-@])/.test(kept) ? `'${kept}` : kept
}

const hostileText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\u00a0', ',', '"', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', '\u0000', '\u001b', '\u007f', '\u202e', 'é', '😀', ';', "'") , maxLength: 24 })

t.test('property: every row parses back to the header field count, with every value intact', async (t) => {
  const columns = ['time', 'level', 'event', 'correlation_id', 'note', 'data']
  const format = rowFormatter(columns)
  fc.assert(fc.property(hostileText, hostileText, fc.dictionary(fc.constantFrom('a', 'b', 'c"', 'd,e'), hostileText), (correlationId, note, extra) => {
    const record = { level: 30, time: 0, event: 'auth_login_success', correlation_id: correlationId, note, ...extra }
    const text = headerLine(columns) + format(record) + format(record)
    const rows = parse(text) as string[][]
    if (rows.length !== 3 || rows.some((row) => row.length !== columns.length)) return false
    const [, row] = rows
    const data = row![5] === '' ? {} : JSON.parse(row![5]!) as Record<string, string>
    // Keys hold no control characters here; JSON escapes C0 controls in values, and only DEL and bidi controls are stripped.
    const expectedData = Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, value.replace(/[\u007F\u202E]/g, '')]))
    return row![3] === expectedCell(correlationId) && row![4] === expectedCell(note) && JSON.stringify(data) === JSON.stringify(expectedData)
  }), { numRuns: 500 })
  t.pass('500 hostile records round-trip')
})
