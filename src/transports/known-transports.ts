import { existsSync, realpathSync } from 'node:fs'
import { basename, dirname, extname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { csvOptionsSpec } from '../../transports/csv/options.js'
import { webhookOptionsSpec } from '../../transports/webhook/options.js'
import { emailOptionsSpec } from '../../transports/email/options.js'
import { smsOptionsSpec } from '../../transports/sms/options.js'
import { postgresOptionsSpec } from '../../transports/postgres/options.js'
import { otlpOptionsSpec } from '../../transports/otlp/options.js'
import type { OptionsSpec } from '../../transports/shared/common-options.js'

/** The daslog transports whose options createLogger checks before the worker starts. */
const specs: Readonly<Record<string, OptionsSpec<unknown>>> = {
  csv: csvOptionsSpec as OptionsSpec<unknown>,
  webhook: webhookOptionsSpec as OptionsSpec<unknown>,
  email: emailOptionsSpec as OptionsSpec<unknown>,
  sms: smsOptionsSpec as OptionsSpec<unknown>,
  postgres: postgresOptionsSpec as OptionsSpec<unknown>,
  otlp: otlpOptionsSpec as OptionsSpec<unknown>
}

/** This package's `transports/` folder (built: dist/transports; from source: transports). */
const ownTransportsDir = realpathOrSelf(fileURLToPath(new URL('../../transports/', import.meta.url)))

/**
 * The daslog transport a pino target names, if any: `daslog/transports/csv`,
 * or a path to this package's own transport module.
 */
export function daslogTransportOf (target: string): OptionsSpec<unknown> | undefined {
  const kind = kindNamed(target)
  if (kind !== undefined) return specs[kind]
  let file = target.startsWith('file:') ? fileURLToPath(target) : target
  if (!file.startsWith('/')) return undefined
  file = realpathOrSelf(file)
  if (realpathOrSelf(dirname(file)) !== ownTransportsDir.replace(/\/$/, '')) return undefined
  return specs[basename(file, extname(file))]
}

/**
 * The module of a `daslog/transports/<kind>` target that has no options of
 * its own to check here (`daslog/transports/pretty`), as the worker loads
 * it (`workerTargetOf`): this package's own module, not whatever the name
 * resolves to from the application (under tsx, tsconfig paths map it to a
 * source the worker would load without a TypeScript loader).
 */
export function ownDaslogTarget (target: string): string | undefined {
  const kind = kindNamed(target)
  return kind === undefined ? undefined : workerTargetOf(kind)
}

/** A daslog transport (`csv`, `guard`) as the worker is told to load it (`forTheWorker`); undefined when there is none of that name. */
export function workerTargetOf (kind: string): string | undefined {
  const file = ownTransportFile(kind)
  return file === undefined ? undefined : forTheWorker(file)
}

/** `csv` of `daslog/transports/csv`; undefined for any other name. */
function kindNamed (target: string): string | undefined {
  return /^daslog\/transports\/([a-z]+)$/.exec(target)?.[1]
}

/** The module file of a daslog transport (`csv`), which the worker loads directly; undefined when there is none of that name. */
export function ownTransportFile (kind: string): string | undefined {
  const file = ownModule(`transports/${kind}`)
  return existsSync(file) ? file : undefined
}

/**
 * True when daslog runs from its TypeScript sources (a checkout, under tsx)
 * rather than from its compiled JavaScript (dist/, the installed package).
 */
export const runsFromSources = import.meta.url.endsWith('.ts')

/**
 * A module of this package by its path without extension
 * (`transports/csv`), in the form this code runs as: the compiled `.js`
 * under dist/, or the `.ts` source when daslog runs from its sources, so a
 * checkout works without a build and never runs a stale one.
 */
export function ownModule (path: string): string {
  // Built: dist/src/transports -> dist/. From the sources: src/transports -> the checkout.
  return fileURLToPath(new URL(`../../${path}${runsFromSources ? '.ts' : '.js'}`, import.meta.url))
}

/**
 * How the worker is told to load one of this package's modules. Compiled:
 * its path. From the sources: a file URL with a query, which pino imports as
 * an ES module through the tsx the worker registered; a name ending in
 * `.ts` pino would load with require(), and first require ts-node/register
 * whenever a ts-node instance is registered (tap's TypeScript plugin
 * registers one), which fails where ts-node is not installed.
 */
export function forTheWorker (file: string): string {
  return runsFromSources ? `${pathToFileURL(file).href}?daslog-source` : file
}

/**
 * The module a transport worker starts with. From the sources it is a small
 * JavaScript module that registers tsx in the worker first: a worker thread
 * does not inherit the application's TypeScript loader (Node 20 runs
 * `--import` hooks per thread, and not for a worker's entry).
 */
export function workerEntryFile (): string {
  return runsFromSources
    ? fileURLToPath(new URL('./source-worker-entry.mjs', import.meta.url))
    : ownModule('src/transports/worker-entry')
}

function realpathOrSelf (path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
