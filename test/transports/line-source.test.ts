import { once } from 'node:events'
import type { Transform } from 'node:stream'
import t from 'tap'
import build from 'pino-abstract-transport'
import { takeLines } from '../../transports/shared/line-source.js'

/** The lines a pino-abstract-transport stream gives for `chunks`: through split2 (its own way), or through takeLines. */
async function linesOf (chunks: ReadonlyArray<string | Buffer>, own: boolean): Promise<{ lines: string[], closed: boolean }> {
  const lines: string[] = []
  let closed = false
  const stream = await build((source: Transform) => {
    if (own) takeLines(source, (line) => { lines.push(line) })
    else source.on('data', (line: string) => { lines.push(line) })
    // The split2 way as daslog used it: every line handed on unparsed.
  }, { parse: 'lines', parseLine: () => ({}), metadata: false, close: async () => { closed = true } }) as Transform
  for (const chunk of chunks) stream.write(chunk)
  stream.end()
  await once(stream, 'close')
  return { lines, closed }
}

const euro = Buffer.from('{"price":"10 €"}\n')
const cases: Array<[string, Array<string | Buffer>]> = [
  ['whole lines', ['{"a":1}\n{"a":2}\n']],
  ['a line across chunks', ['{"a":', '1}\n{"a"', ':2}\n']],
  ['CRLF line ends', ['{"a":1}\r\n{"a":2}\r\n']],
  ['a CR at a chunk end, its LF in the next', ['{"a":1}\r', '\n{"a":2}\n']],
  ['empty lines between', ['{"a":1}\n\n\n{"a":2}\n']],
  ['a last line without a newline', ['{"a":1}\n{"a":2}']],
  ['a last line that is only a CR', ['{"a":1}\n\r']],
  ['no newline at all', ['{"a":1}']],
  ['nothing', []],
  ['a Buffer cut inside a character', [euro.subarray(0, 14), euro.subarray(14), Buffer.from('{"b":2}\n')]],
  ['strings and Buffers mixed', ['{"a":', Buffer.from('1}\n'), '{"b":2}\n']]
]

t.test('every line split2 would give, and in the same order', async (t) => {
  for (const [name, chunks] of cases) {
    const theirs = await linesOf(chunks, false)
    const ours = await linesOf(chunks, true)
    t.strictSame(ours.lines, theirs.lines, name)
    t.ok(ours.closed, `${name}: the stream closed, its close option called`)
  }
  t.strictSame((await linesOf(['{"a":1}\r\n{"a":2}'], true)).lines, ['{"a":1}', '{"a":2}'], 'the lines themselves')
})

t.test('a throwing line handler destroys the stream with its error', async (t) => {
  let closedWith: unknown
  const stream = await build((source: Transform) => {
    takeLines(source, (line) => { if (line === 'bad') throw new Error('cannot take it') })
  }, { parse: 'lines', metadata: false, close: async (error: unknown) => { closedWith = error } }) as Transform
  stream.on('error', () => {})
  stream.write('good\nbad\n')
  await once(stream, 'close')
  t.match(closedWith, { message: 'cannot take it' })
})
