import { parseArgs } from 'node:util'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import { generateCatalogFile } from '../catalog/generate-file.js'
import { DaslogError, isDaslogError } from '../errors.js'
import { pgErrorText } from '../store/pg-error.js'
import { replay } from './replay.js'
import { checkAgainstCommand, checkAgainstUsage } from './check-against.js'
import { docsCommand, docsUsage } from './docs.js'
import { count } from './generated-output.js'
import { schemaCommand, schemaUsage } from './schema.js'
import { jsonSchemaCommand } from './schema-json.js'
import { queryCommand, queryUsage } from './query.js'

const usage = `Usage:
  daslog generate <catalog.yaml|json> --out <file.ts> [--check] [--import-from <module>]
      Write the typed Events module for a catalog. With --check, write nothing and
      exit 1 when the file on disk differs from what would be generated.
  daslog check <catalog.yaml|json>
      Validate a catalog; exit 1 naming the offending entry when it is invalid.
${checkAgainstUsage}
${schemaUsage}
${docsUsage}
  daslog replay <dead-letter.ndjson> [--config <pino.config.mjs>] [--out <file>]
      Re-deliver dead letters, each once, through the transports of the config file
      (default: the working directory's pino.config.*). What fails again goes to a
      new dead-letter file; exit 1 when anything did.
${queryUsage}
  daslog help`

/** Runs the command line; returns the exit code. Output goes through the given writers (tests pass their own). */
export function run (argv: readonly string[], out: (line: string) => void, err: (line: string) => void): number | Promise<number> {
  const [command, ...rest] = argv
  if (command === 'replay') return replayCommand(rest, out, err).catch((error: unknown) => failed(error, err))
  if (command === 'schema' && !rest.includes('--json-schema')) return schemaCommand(rest, out).catch((error: unknown) => failed(databaseFailure(error), err))
  if (command === 'query') return queryCommand(rest, out, err).catch((error: unknown) => failed(databaseFailure(error), err))
  try {
    switch (command) {
      case 'generate': return generate(rest, out, err)
      case 'check': return rest.some((arg) => arg === '--against' || arg.startsWith('--against=')) ? checkAgainstCommand(rest, out, err) : check(rest, out, err)
      case 'schema': return jsonSchemaCommand(rest, out, err)
      case 'docs': return docsCommand(rest, out, err)
      case 'help': case '--help': case '-h': out(usage); return 0
      default:
        err(command === undefined ? usage : `daslog: unknown command "${command}"\n${usage}`)
        return 2
    }
  } catch (error) {
    return failed(error, err)
  }
}

/** A database that cannot be reached or refuses a statement fails the command with its message (never the pg error's client, which holds the password). */
function databaseFailure (error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code
  // A SQLSTATE (08006) or a system error (ECONNREFUSED); not Node's own ERR_* (bad arguments).
  if (isDaslogError(error) || !(error instanceof Error) || typeof code !== 'string' || !/^(?:[0-9A-Z]{5}|E[A-Z]+)$/.test(code)) return error
  return new DaslogError('DASLOG_STORE', `the store failed: ${pgErrorText(error)}`)
}

/** The exit code of a command that threw: 1 for a daslog error, 2 for bad arguments; anything else is a bug and rethrown. */
function failed (error: unknown, err: (line: string) => void): number {
  if (isDaslogError(error)) {
    err(`daslog: ${error.message}`)
    return 1
  }
  if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
    err(`daslog: ${error.message}\n${usage}`)
    return 2
  }
  throw error
}

async function replayCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, out: { type: 'string', short: 'o' } }
  })
  if (positionals.length !== 1) {
    err(`daslog replay: give one dead-letter file\n${usage}`)
    return 2
  }
  const result = await replay(positionals[0]!, { config: values.config, out: values.out })
  for (const line of result.lines) out(`daslog: ${line}`)
  out(`daslog: replayed ${result.replayed} dead letter(s): ${result.delivered} delivered, ${result.deadLettered} failed again${result.deadLetter === undefined ? '' : ` (now in ${result.deadLetter})`}`)
  return result.deadLettered > 0 ? 1 : 0
}

function generate (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, check: { type: 'boolean' }, 'import-from': { type: 'string' } }
  })
  if (positionals.length !== 1 || values.out === undefined) {
    err(`daslog generate: give one catalog file and --out <file.ts>\n${usage}`)
    return 2
  }
  const result = generateCatalogFile({
    catalog: positionals[0]!,
    out: values.out,
    check: values.check === true,
    ...(values['import-from'] === undefined ? {} : { importFrom: values['import-from'] })
  })
  switch (result.status) {
    case 'written': out(`daslog: wrote ${values.out} (${count(result.events, 'event')})`); return 0
    case 'current': out(`daslog: ${values.out} is up to date (${count(result.events, 'event')})`); return 0
    case 'missing': err(`daslog: ${values.out} does not exist; run daslog generate ${positionals[0]!} --out ${values.out}`); return 1
    case 'stale': err(`daslog: ${values.out} is stale; run daslog generate ${positionals[0]!} --out ${values.out}`); return 1
  }
}

function check (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} })
  if (positionals.length !== 1) {
    err(`daslog check: give one catalog file\n${usage}`)
    return 2
  }
  const catalog = loadCatalogFile(positionals[0]!)
  out(`daslog: ${positionals[0]!} is valid (${count(Object.keys(catalog.events).length, 'event')})`)
  return 0
}
