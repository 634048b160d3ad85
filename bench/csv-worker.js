// The csv transport's worker side alone, in this process:
//   node bench/csv-worker.js [chunks]     (npm run build first)
// The bench's file-scenario records, 1,400 to a chunk as pino's worker hands
// them over, written to the csv transport's stream; prints the time per
// record from the first chunk until the stream closed (the file written).
// The file scenario of `npm run bench` was bound by this side until the line path (transports/csv/line-row.ts).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { setImmediate as turn } from 'node:timers/promises'
import { createLogger, Events } from 'daslog'
import csv from 'daslog/transports/csv'

const chunks = Number(process.argv[2] ?? 700)
const perChunk = 1_400
const dir = mkdtempSync(join(tmpdir(), 'daslog-csv-worker-'))
process.on('exit', () => { rmSync(dir, { recursive: true, force: true }) })

const lines = []
const logger = createLogger({ config: false, base: { pid: 1, hostname: 'bench' } }, { write (line) { lines.push(line) } })
const fields = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }
for (let i = 0; i < perChunk; i++) logger.info(Events.AUTH_LOGIN_SUCCESS, fields)
const chunk = lines.join('')

const path = join(dir, 'out.csv')
const stream = await csv({ path, deadLetter: join(dir, 'dead-letter.ndjson') })
const started = process.hrtime.bigint()
for (let i = 0; i < chunks; i++) {
  if (!stream.write(chunk)) await once(stream, 'drain')
  await turn()
}
stream.end()
await once(stream, 'close')
const ns = Number(process.hrtime.bigint() - started)
console.log(`${(ns / (chunks * perChunk)).toFixed(0)} ns a record (${chunks * perChunk} records, ${statSync(path).size} bytes of CSV)`)
