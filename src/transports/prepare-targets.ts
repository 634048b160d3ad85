import { createRequire } from 'node:module'
import { readdirSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, sep } from 'node:path'
import type { Catalog } from '../catalog/types.js'
import { isObject } from '../config/option-checks.js'
import { didYouMean } from '../did-you-mean.js'
import { ConfigError } from '../errors.js'
import { parseTransportOptions } from '../../transports/shared/common-options.js'
import { daslogTransportOf, forTheWorker, ownDaslogTarget, ownModule, workerTargetOf } from './known-transports.js'

/** A pino `transport` option made ready for the worker daslog starts. */
export interface PreparedTransport {
  /** What pino's worker module is given: `targets`, `pipelines`, `levels`, `dedupe`. */
  readonly workerData: Record<string, unknown>
  /** True when pino must treat the stream as a multistream (several targets, or a per-target level). */
  readonly usesMultistream: boolean
  /** The longest close deadline among daslog's targets: how long close() may wait for them to drain. */
  readonly closeTimeoutMs: number
}

export interface PrepareContext {
  readonly catalog: Catalog
  /** The config file the transport came from, for error messages. */
  readonly file: string | undefined
  /** Where target names are resolved from, in turn (pino's `caller`). */
  readonly callers: readonly string[]
  /** A daslog target's `closeTimeoutMs` when it sets none: the logger's shutdown grace period. */
  readonly closeTimeoutMs: number
  /** The logger's dead-letter file: where a guarded target's records go once it failed. */
  readonly deadLetter: string
}

/**
 * Turns a pino `transport` option (`target`, `targets` or `pipeline`) into
 * the worker data pino.transport() would build, with three daslog steps:
 * the options of every daslog target are checked here, in the main thread,
 * so a bad one fails createLogger with an error naming the transport, the
 * target and the option (shorthands such as `columns: 'audit'` resolved
 * against the logger's catalog); daslog's targets point at its built
 * modules; and every other target is put behind a guard (transports/guard),
 * so one that throws cannot take the worker down or lose records in silence.
 */
export function prepareTransport (transport: Record<string, unknown>, context: PrepareContext): PreparedTransport {
  let closeTimeoutMs = context.closeTimeoutMs
  let daslogTargets = 0
  const target = (entry: Record<string, unknown>, where: string): Record<string, unknown> => {
    const configured = entry.target as string
    const spec = daslogTransportOf(configured)
    if (spec === undefined) {
      const file = ownDaslogTarget(configured) ?? resolveTarget(configured, context, where)
      const options = { target: file, options: entry.options, name: configured, deadLetter: context.deadLetter }
      return { ...entry, target: forTheWorker(ownModule('transports/guard')), options }
    }
    const given = entry.options ?? {}
    const withGrace = isObject(given) && given.closeTimeoutMs === undefined ? { ...given, closeTimeoutMs: context.closeTimeoutMs } : given
    const { common, prepared } = parseTransportOptions(spec, withGrace, { target: where, file: context.file }, context.catalog)
    closeTimeoutMs = Math.max(closeTimeoutMs, common.closeTimeoutMs)
    daslogTargets++
    return { ...entry, target: workerTargetOf(spec.kind) ?? resolveTarget(configured, context, where), options: prepared }
  }
  const step = (entry: Record<string, unknown>, where: string): Record<string, unknown> => ({ ...entry, target: resolveTarget(entry.target as string, context, where) })

  const targets = targetEntries(transport).map(({ entry, where }) => target(stripWorkerKeys(entry), where))
  const entries = (transport.targets ?? []) as Array<Record<string, unknown>>
  const pipelineSteps = entries.flatMap((entry, i) => entry.pipeline === undefined ? [] : [{ steps: entry.pipeline, level: entry.level, where: `transport.targets[${i}].pipeline` }])
  if (transport.pipeline !== undefined) pipelineSteps.push({ steps: transport.pipeline, level: undefined, where: 'transport.pipeline' })
  // pino duplicates a pipeline's level on each of its steps.
  const pipelines = pipelineSteps.map(({ steps, level, where }) => (steps as Array<Record<string, unknown>>).map((entry, j) => ({ ...step(entry, `${where}[${j}]`), level })))

  const workerData: Record<string, unknown> = { targets, pipelines, pinoWillSendConfig: true }
  if (transport.levels !== undefined) workerData.levels = transport.levels
  if (transport.dedupe !== undefined) workerData.dedupe = transport.dedupe
  const usesMultistream = targets.length + pipelines.length > 1 ||
    targets.some((t) => t.level != null) || pipelines.some((p) => p.some((t) => t.level != null))
  // Several daslog targets: the worker gives each line its event id once, for all of them (a pipeline's steps are not guarded, so not with pipelines).
  if (daslogTargets > 1 && pipelines.length === 0) workerData.eventIds = true
  return { workerData, usesMultistream, closeTimeoutMs }
}

/**
 * The `{ target }` entries of a pino `transport` option (a single target, or
 * those of `targets`), each with where it sits (`transport.targets[1]`), as
 * errors name it.
 */
export function targetEntries (transport: Readonly<Record<string, unknown>>): Array<{ entry: Record<string, unknown>, where: string }> {
  if (transport.target !== undefined) return [{ entry: { ...transport }, where: 'transport' }]
  const list: unknown[] = Array.isArray(transport.targets) ? transport.targets : []
  return list.flatMap((entry, i) => isObject(entry) && typeof entry.target === 'string' ? [{ entry, where: `transport.targets[${i}]` }] : [])
}

/** A single `{ target, options, level }` transport without the keys that configure the worker rather than the target. */
function stripWorkerKeys (entry: Record<string, unknown>): Record<string, unknown> {
  const { worker: _worker, levels: _levels, dedupe: _dedupe, caller: _caller, sync: _sync, targets: _targets, ...target } = entry
  return target
}

const pinoFile = createRequire(import.meta.url).resolve('pino')

/**
 * A target module's file, as pino.transport() finds it: absolute paths and
 * file URLs as they are, `pino/file`, or a package resolved from the callers.
 * A target found nowhere fails createLogger with a ConfigError naming where
 * it sits (`transport.targets[1]`), where it was looked for and, for a
 * `daslog/transports/<name>`, the transports daslog has.
 */
function resolveTarget (target: string, context: PrepareContext, where: string): string {
  if (isAbsolute(target) || target.startsWith('file://')) return target
  if (target === 'pino/file') return createRequire(pinoFile).resolve('./file.js')
  for (const caller of context.callers) {
    try {
      return createRequire(caller === 'node:repl' ? process.cwd() + sep : caller).resolve(target)
    } catch {}
  }
  throw new ConfigError(where, unknownTargetProblem(target, context.callers), context.file)
}

function unknownTargetProblem (target: string, callers: readonly string[]): string {
  const kinds = daslogTransportKinds()
  const daslogNames = kinds.map((kind) => `daslog/transports/${kind}`)
  if (target.startsWith('daslog/')) {
    return `daslog has no transport "${target}"${didYouMean(target, daslogNames)}; its transports are ${kinds.join(', ')} (daslog/transports/<name>)`
  }
  const suggestion = kinds.includes(target) ? ` (did you mean "daslog/transports/${target}"?)` : didYouMean(target, [...daslogNames, 'pino/file', 'pino-pretty'])
  const folders = [...new Set(callers.map((caller) => caller === 'node:repl' ? process.cwd() : dirname(caller)))]
    .map((folder) => folder === process.cwd() ? `${folder} (the working directory)` : folder)
  return `cannot find the transport target "${target}"${suggestion}: looked for it as a package or a relative path from ${folders.join(', ')}; ` +
    'install the package, or give an absolute path'
}

/** The names of daslog's transports (`csv`, `pretty`, ...): the modules in its own transports folder, but for the worker's guard. */
function daslogTransportKinds (): string[] {
  const guard = ownModule('transports/guard')
  const extension = extname(guard)
  try {
    return readdirSync(dirname(guard))
      .filter((name) => name.endsWith(extension) && !name.endsWith(`.d${extension}`))
      .map((name) => basename(name, extension))
      .filter((kind) => kind !== 'guard')
      .sort()
  } catch {
    return []
  }
}
