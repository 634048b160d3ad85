// `npm run bench -- --node 20,22,24`: the in-process scenarios once per Node
// line, each run a child process of bench/run.js on that line's node (its bin
// folder first on PATH, so whatever it starts runs on the same line), the
// line's node taken from the machine or the cache (node-lines.js, installing
// on demand). Each run prints its own table as it goes; then the ratio tables
// side by side. A line that cannot be installed or run is a column of n/a,
// with the reason, and the exit code is 1.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { delimiter, join } from 'node:path'
import { nodeOfLine, parseNodeLines } from './node-lines.js'
import { formatSideBySide, sideBySide } from './side-by-side.js'

const say = (line = '') => { process.stdout.write(line + '\n') }

/** The arguments each line's run gets: the same selection, in-process scenarios only, figures as JSON. */
export function childArguments (values, jsonFile) {
  const args = ['--no-transports', '--json', jsonFile]
  if (values.quick) args.push('--quick')
  if (values.only !== undefined) args.push('--only', values.only)
  if (values['peers-dir'] !== undefined) args.push('--peers-dir', values['peers-dir'])
  return args
}

/** Runs the bench on every line of `values.node`; returns the exit code. */
export function benchOnNodeLines (values) {
  let lines
  try {
    lines = parseNodeLines(values.node)
  } catch (err) {
    process.stderr.write(`${err.message}\n`)
    return 2
  }
  say(`daslog benchmark on Node ${lines.join(', ')} — ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`)
  say('The in-process scenarios, one run per line in a process of its own, one after another (the transport scenarios run on one line only: npm run bench).')
  const dir = mkdtempSync(join(tmpdir(), 'daslog-bench-lines-'))
  const runs = []
  try {
    for (const line of lines) {
      let found
      try {
        found = nodeOfLine(line, { say })
      } catch (err) {
        say(`Node ${line}: n/a, ${err.message}`)
        runs.push({ line, label: `Node ${line}`, unavailable: err.message })
        continue
      }
      const label = `Node ${found.version.slice(1)}`
      say(`\n=== ${label} (${found.source === 'machine' ? 'this machine\'s node' : found.node}) ===`)
      const jsonFile = join(dir, `${line}.json`)
      const child = spawnSync(found.node, [new URL('./run.js', import.meta.url).pathname, ...childArguments(values, jsonFile)], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, PATH: `${found.binDir}${delimiter}${process.env.PATH ?? ''}` }
      })
      if (child.status !== 0) {
        const reason = `the run on ${label} ended with ${child.error?.message ?? `exit code ${child.status ?? child.signal}`}`
        say(reason)
        runs.push({ line, label, version: found.version, unavailable: reason })
        continue
      }
      runs.push({ line, label, version: found.version, result: JSON.parse(readFileSync(jsonFile, 'utf8')) })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  say(`\nSide by side: raw pino's ns/op, the others as a ratio to it (lower is faster), on each line`)
  for (const text of formatSideBySide(sideBySide(runs))) say(text)
  for (const run of runs.filter((r) => r.unavailable !== undefined)) say(`${run.label}: n/a, ${run.unavailable}`)
  if (values.json !== undefined) {
    writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), lines: runs }, null, 2) + '\n')
    say(`\nwrote ${values.json}`)
  }
  return runs.some((run) => run.unavailable !== undefined) ? 1 : 0
}
