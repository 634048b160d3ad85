import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readCsv, readDeadLetters } from '../transports/helpers.js'

/** How a child process of the reliability suite ended, and what it printed. */
export interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** From the signal (or the start, without one) to the end of the process. */
  readonly endedAfterMs: number
}

/**
 * Runs a fixture under tsx with `args`; once it printed `logged`, sends
 * `signal` (if any). Asynchronous, so the test's own receivers keep
 * answering while the child delivers to them. Killed after `timeoutMs`.
 */
export function runChild (fixture: string, args: readonly string[], options: { signal?: NodeJS.Signals, timeoutMs?: number, onLogged?: () => void } = {}): Promise<ChildResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let from = Date.now()
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const first = !stdout.includes('logged')
    stdout += chunk
    if (first && stdout.includes('logged')) {
      options.onLogged?.()
      if (options.signal !== undefined) {
        from = Date.now()
        child.kill(options.signal)
      }
    }
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, options.timeoutMs ?? 30_000)
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, endedAfterMs: Date.now() - from })
    })
  })
}

/** The `order_id` of every row of a CSV file written with the default columns (none when there is no file). */
export function csvOrderIds (file: string): string[] {
  if (!existsSync(file)) return []
  const [, ...rows] = readCsv(file)
  return rows.map((row) => (JSON.parse(row[4]!) as { order_id?: string }).order_id ?? `(${row[2]})`)
}

/** The `order_id` of every record a webhook receiver accepted. */
export function webhookOrderIds (records: ReadonlyArray<Record<string, unknown>>): string[] {
  return records.map((record) => typeof record.order_id === 'string' ? record.order_id : '(none)')
}

/** The `order_id` of every record in a dead-letter file. */
export function deadLetterOrderIds (file: string): string[] {
  if (!existsSync(file)) return []
  return readDeadLetters(file).map((line) => ((line.record ?? {}) as { order_id?: string }).order_id ?? '(none)')
}

/** `o-0` ... `o-{count-1}`: what the fixtures log. */
export function orderIds (count: number): string[] {
  return Array.from({ length: count }, (_, i) => `o-${i}`)
}
