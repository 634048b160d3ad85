// The CSV file itself, in-process with a clock the test moves: daily rotation and a row cut short by a crash.
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { CsvFile } from '../../transports/csv/file.js'
import { tempDir } from '../helpers.js'
import { filesIn, readCsv } from './helpers.js'

const header = 'event,n\r\n'

t.test('daily rotation: a new UTC day renames the file after the day it holds', async (t) => {
  const dir = tempDir('csvfile')
  const path = join(dir, 'audit.csv')
  let now = Date.UTC(2026, 10, 23, 23, 59, 0)
  const file = new CsvFile(path, header, { size: undefined, daily: true }, false, () => now)
  file.write(['a,1\r\n', 'a,2\r\n'])
  now = Date.UTC(2026, 10, 24, 0, 0, 1)
  file.write(['b,3\r\n'])
  now = Date.UTC(2026, 10, 24, 12, 0, 0)
  file.write(['b,4\r\n'])
  file.close()
  t.same(filesIn(dir, 'audit').map((f) => f.slice(dir.length + 1)), ['audit.2026-11-23.csv', 'audit.csv'])
  t.same(readCsv(join(dir, 'audit.2026-11-23.csv')), [['event', 'n'], ['a', '1'], ['a', '2']])
  t.same(readCsv(path), [['event', 'n'], ['b', '3'], ['b', '4']])
})

t.test('a rotated name that is taken gets a number', async (t) => {
  const dir = tempDir('csvfile')
  const path = join(dir, 'audit.csv')
  let now = Date.UTC(2026, 10, 23)
  for (const day of [23, 24]) {
    now = Date.UTC(2026, 10, day)
    // A column change on the same day twice: both old files are kept.
    new CsvFile(path, `x${day}\r\n`, { size: undefined, daily: false }, false, () => now).close()
  }
  new CsvFile(path, 'y\r\n', { size: undefined, daily: false }, false, () => now).close()
  t.equal(filesIn(dir, 'audit').length, 3)
})

t.test('an existing file whose last row was cut short gets its line ended before new rows', async (t) => {
  const dir = tempDir('csvfile')
  const path = join(dir, 'audit.csv')
  const first = new CsvFile(path, header, { size: undefined, daily: false }, false)
  first.write(['a,1\r\n'])
  first.close()
  appendFileSync(path, 'a,"2')
  const second = new CsvFile(path, header, { size: undefined, daily: false }, false)
  second.write(['b,3\r\n'])
  second.close()
  t.equal(readFileSync(path, 'utf8'), 'event,n\r\na,1\r\na,"2\r\nb,3\r\n')
})
