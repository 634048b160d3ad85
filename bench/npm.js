// npm, run from the bench as a child process: the npm that started the bench
// (under `npm run` or npx, npm_execpath), on this very Node, else npm on PATH.
import { spawnSync } from 'node:child_process'
import { basename } from 'node:path'

/**
 * Runs `npm <args>`. Returns `{ ok: true, stdout }` or `{ ok: false, reason }`
 * (the first line of npm's output that names an error), never throws.
 */
export function runNpm (args, { timeoutMs = 180_000 } = {}) {
  const npmCli = process.env.npm_execpath
  const [file, prefixArgs] = npmCli !== undefined && basename(npmCli) === 'npm-cli.js' ? [process.execPath, [npmCli]] : ['npm', []]
  // The npm that runs the bench exports its own prefix (the root project): drop it, the arguments say where.
  const env = { ...process.env }
  for (const key of ['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_call', 'npm_command']) delete env[key]
  const result = spawnSync(file, [...prefixArgs, ...args], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'], env })
  const what = `npm ${args[0]}`
  if (result.error !== undefined) return { ok: false, reason: `${what}: ${result.error.message}` }
  if (result.status !== 0) {
    const detail = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).find((l) => /err/i.test(l)) ?? `exit code ${result.status ?? result.signal}`
    return { ok: false, reason: `${what} failed: ${detail.slice(0, 160)}` }
  }
  return { ok: true, stdout: result.stdout }
}
