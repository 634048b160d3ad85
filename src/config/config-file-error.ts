import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ConfigError } from '../errors.js'

/**
 * A config file that cannot be used as it is: a syntax error (with `line`
 * and `column`, 1-based), top-level await, or no default export. `option` is
 * `config` and `file` the file, as for any ConfigError of the file.
 */
export class ConfigFileError extends ConfigError {
  override name = 'ConfigFileError'
  readonly line: number | undefined
  readonly column: number | undefined

  constructor (file: string, problem: string, where: { line?: number, column?: number, message?: string, cause?: unknown } = {}) {
    super('config', problem, file, { cause: where.cause })
    this.line = where.line
    this.column = where.column
    this.message = where.message ?? `Cannot use the config file ${file}: ${problem}`
  }
}

/** Where a syntax error is, as `node --check` reports it. */
interface SyntaxProblem {
  readonly line: number
  readonly column: number
  readonly message: string
  /** The source line and the caret line under it. */
  readonly frame: string
}

/**
 * The ConfigFileError for a config file that failed to load with `error`:
 * its syntax error at file:line:column, or the top-level await it cannot
 * use, or (for anything else) the error's own message. Runs only on the
 * error path: a syntax check costs a child process.
 */
export function loadFailure (file: string, error: unknown): ConfigFileError {
  const err = error as { name?: unknown, message?: unknown, code?: unknown }
  const message = typeof err?.message === 'string' ? err.message : String(error)
  if (err?.code === 'ERR_REQUIRE_ASYNC_MODULE' || /top-level await/i.test(message)) return topLevelAwait(file, error)
  if (error instanceof SyntaxError || isTransformError(err)) {
    const found = syntaxProblem(file)
    if (found !== undefined) {
      const at = `${file}:${found.line}:${found.column}`
      return new ConfigFileError(file, `syntax error at line ${found.line}, column ${found.column}: ${found.message}`, {
        line: found.line,
        column: found.column,
        message: `Syntax error in the config file ${at}: ${found.message}\n${found.frame}`,
        cause: error
      })
    }
  }
  // A file the config imports, or anything else: the loader's message, without tsx's esbuild preamble.
  const reason = message.replace(/^Transform failed with \d+ errors?:\n/, '')
  return new ConfigFileError(file, `cannot load it: ${reason}`, { message: `Cannot load the config file ${file}: ${reason}`, cause: error })
}

/** tsx transforms a required module with esbuild, whose failures are `Transform failed with N error(s)`. */
function isTransformError (err: { name?: unknown, message?: unknown }): boolean {
  return err?.name === 'TransformError' || (typeof err?.message === 'string' && err.message.startsWith('Transform failed'))
}

function topLevelAwait (file: string, error: unknown): ConfigFileError {
  const location = esbuildLocation(file, error)
  const at = location === undefined ? '' : ` (${file}:${location.line}:${location.column})`
  const problem = 'it (or a module it imports) uses top-level await, and createLogger() loads the config file synchronously, so it cannot wait for it. ' +
    'Compute the options without await (fs.readFileSync instead of fs/promises, for example), or await them in your own code and pass them to createLogger({ ...options, config: false })'
  return new ConfigFileError(file, problem, {
    ...location,
    message: `Top-level await in the config file ${file}${at}: ${problem}`,
    cause: error
  })
}

/**
 * esbuild's position of the error (under tsx), from its `file:line:column: ERROR:`
 * line, when it is in this file (esbuild names it with a `.js` extension).
 */
function esbuildLocation (file: string, error: unknown): { line: number, column: number } | undefined {
  const message = (error as { message?: unknown })?.message
  const found = typeof message === 'string' ? /^(.+):(\d+):(\d+): ERROR: /m.exec(message) : null
  if (found === null || withoutExtension(found[1]!) !== withoutExtension(file)) return undefined
  return { line: Number(found[2]), column: Number(found[3]) + 1 }
}

function withoutExtension (path: string): string {
  return path.replace(/\.[cm]?[jt]s$/, '')
}

/**
 * An ES-module-only construct in a file parsed as CommonJS: Node then parses the file as an ES module.
 * Node 20 warns "To load an ES module, set "type": "module"...", Node 22 and later "Failed to load the
 * ES module: ... Make sure to set "type": "module"...".
 */
const esmSyntax = /To load an ES module|Failed to load the ES module|outside a module|top level bodies of modules/

/**
 * The syntax error of a config file, found by `node --check` on its source,
 * parsed as Node loads the file: `.mjs` as an ES module, `.cjs` as
 * CommonJS, `.js` as its package.json's `"type"` says or, with none, as
 * CommonJS unless that fails on ES module syntax. A child process because
 * Node gives no position for the syntax error of a module it loads (and
 * under tsx the error is esbuild's, naming a file that is not there); it
 * works the same under plain node and under any loader.
 */
function syntaxProblem (file: string): SyntaxProblem | undefined {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const type = file.endsWith('.mjs') ? 'module' : file.endsWith('.cjs') ? 'commonjs' : packageType(dirname(file))
  if (type !== undefined) return checkSyntax(source, type).problem
  const commonjs = checkSyntax(source, 'commonjs')
  return commonjs.esm ? checkSyntax(source, 'module').problem : commonjs.problem
}

/** The `"type"` of the nearest package.json above `folder`, if it says one. */
function packageType (folder: string): 'module' | 'commonjs' | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      const { type } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown }
      return type === 'module' || type === 'commonjs' ? type : undefined
    } catch {}
    if (dirname(dir) === dir) return undefined
  }
}

function checkSyntax (source: string, type: 'module' | 'commonjs'): { problem: SyntaxProblem | undefined, esm: boolean } {
  const child = spawnSync(process.execPath, ['--check', `--input-type=${type}`], {
    input: source,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 10_000
  })
  if (child.status === 0 || typeof child.stderr !== 'string') return { problem: undefined, esm: false }
  return { problem: parseCheckOutput(child.stderr), esm: esmSyntax.test(child.stderr) }
}

/**
 * Reads node's report of a syntax error:
 * `[stdin]:3`, the source line, a caret line, an empty line, `SyntaxError: ...`.
 */
function parseCheckOutput (stderr: string): SyntaxProblem | undefined {
  const lines = stderr.split('\n')
  const head = lines.findIndex((line) => /^\[stdin\]:\d+$/.test(line))
  const messageLine = lines.find((line) => /^SyntaxError: /.test(line))
  if (head === -1 || messageLine === undefined) return undefined
  const source = lines[head + 1] ?? ''
  const caret = lines[head + 2] ?? ''
  const offset = caret.indexOf('^')
  return {
    line: Number(lines[head]!.slice('[stdin]:'.length)),
    column: offset === -1 ? 1 : offset + 1,
    message: messageLine.slice('SyntaxError: '.length),
    frame: `    ${source}\n    ${caret}`
  }
}
