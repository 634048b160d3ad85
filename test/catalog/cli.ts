import { run } from '../../src/cli/run.js'

/** Runs a synchronous `daslog` command in-process: its exit code, stdout (joined, and as lines) and stderr. */
export function cli (...argv: string[]): { code: number, out: string, lines: string[], err: string } {
  const lines: string[] = []
  const err: string[] = []
  const code = run(argv, (line) => lines.push(line), (line) => err.push(line))
  if (typeof code !== 'number') throw new Error(`daslog ${argv[0] ?? ''} answers synchronously`)
  return { code, out: lines.join('\n'), lines, err: err.join('\n') }
}
