import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { isObject } from '../config/option-checks.js'
import { findConfigFile, loadConfigFile } from '../config/load-config.js'
import { ConfigError } from '../errors.js'
import { isLevelName, levelValues } from '../levels.js'
import { daslogTransportOf, ownTransportFile } from '../transports/known-transports.js'
import { targetEntries } from '../transports/prepare-targets.js'
import { DeadLetterFile } from '../../transports/shared/dead-letter.js'
import { parseTransportOptions } from '../../transports/shared/common-options.js'
import { transportControl, type DaslogTransportStream } from '../../transports/shared/runtime.js'
import type { TransportStats } from '../../transports/shared/protocol.js'

/** One daslog target of the config file, as replay uses it. */
interface ReplayTarget {
  readonly kind: string
  readonly name: string
  /** The lowest level the target takes (pino's per-target `level`). */
  readonly minLevel: number
  readonly accepts: (event: string) => boolean
  readonly options: Record<string, unknown>
}

/** One dead letter: the record and the transport it was meant for. */
interface DeadLetter {
  readonly transport: string
  readonly name: string
  readonly record: Record<string, unknown>
}

export interface ReplayResult {
  readonly replayed: number
  readonly delivered: number
  readonly deadLettered: number
  /** The new dead-letter file (what still failed); undefined when nothing did. */
  readonly deadLetter: string | undefined
  /** Where the replayed file went (`<file>.replayed-<time>`); undefined when nothing was replayed. */
  readonly replayedFile: string | undefined
  readonly lines: readonly string[]
}

/**
 * `daslog replay <file> [--config <file>] [--out <file>]`: each dead letter
 * goes once through the daslog transport it was meant for, as the config
 * file configures it now (the same `name`, or the only transport of its
 * kind); a record the worker could not take goes once through every daslog
 * transport whose level and `events` take it. What fails again is written to
 * a new dead-letter file (`--out`, default `<file>.replay-<time>.ndjson`),
 * never back to the one being replayed. The replayed file is renamed
 * `<file>.replayed-<time>` before it is read, so a second replay finds
 * nothing to send (and says so), and an application still running starts a
 * new dead-letter file under the old name for what fails later; it is put
 * back if the replay stops before the end.
 */
export async function replay (file: string, options: { config?: string | undefined, out?: string | undefined }): Promise<ReplayResult> {
  const input = resolve(file)
  if (!existsSync(input)) {
    const earlier = replayedCopies(input)
    if (earlier === undefined) throw new ConfigError('file', `the dead-letter file ${input} does not exist`)
    return {
      replayed: 0, delivered: 0, deadLettered: 0, deadLetter: undefined, replayedFile: undefined,
      lines: [`nothing to replay: ${input} was replayed already and is now ${earlier} (replay that file to send its records again)`]
    }
  }
  const configFile = findConfigFile(options.config)
  if (configFile === undefined) throw new ConfigError('config', 'no pino.config.* in the working directory; give one with --config <file>')
  const targets = replayTargets(loadConfigFile(configFile).options.transport, configFile)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const out = resolve(options.out ?? join(dirname(input), `${basename(input, '.ndjson')}.replay-${stamp}.ndjson`))
  if (out === input) throw new ConfigError('out', 'the new dead-letter file must not be the one being replayed')

  const replayedFile = `${input}.replayed-${stamp}`
  renameSync(input, replayedFile)
  try {
    const result = await replayFile(replayedFile, input, targets, out)
    return { ...result, replayedFile, lines: [...result.lines, `${basename(input)} is now ${basename(replayedFile)}, so a second replay does not send it again`] }
  } catch (error) {
    // Stopped before the end: the file goes back where it was, to be replayed again (a record may then be sent twice, never lost).
    if (!existsSync(input)) renameSync(replayedFile, input)
    throw error
  }
}

/** The newest `<file>.replayed-<time>` beside `input`, if a replay renamed it. */
function replayedCopies (input: string): string | undefined {
  const prefix = `${basename(input)}.replayed-`
  const names = existsSync(dirname(input)) ? readdirSync(dirname(input)).filter((name) => name.startsWith(prefix)).sort() : []
  return names.length === 0 ? undefined : join(dirname(input), names.at(-1)!)
}

/** Sends every dead letter of `file` (named `shownAs` in errors) through its target; what fails again goes to `out`. */
async function replayFile (file: string, shownAs: string, targets: readonly ReplayTarget[], out: string): Promise<Omit<ReplayResult, 'replayedFile'>> {
  const letters = readDeadLetters(file, shownAs)
  const routes = new Map<ReplayTarget, Array<Record<string, unknown>>>()
  const unroutable: Array<{ letter: DeadLetter, error: string }> = []
  for (const letter of letters) {
    const chosen = route(letter, targets)
    if (typeof chosen === 'string') {
      unroutable.push({ letter, error: chosen })
      continue
    }
    for (const target of chosen) {
      const list = routes.get(target) ?? []
      list.push(letter.record)
      routes.set(target, list)
    }
  }

  const lines: string[] = []
  let delivered = 0
  let deadLettered = 0
  for (const [target, records] of routes) {
    const stats = await deliverThrough(target, records, out)
    delivered += stats.delivered
    deadLettered += stats.deadLettered + stats.dropped
    lines.push(`${target.name}: ${records.length} replayed, ${stats.delivered} delivered, ${stats.deadLettered + stats.dropped} failed again`)
  }
  if (unroutable.length > 0) {
    const file = new DeadLetterFile(out, { transport: 'replay', name: 'daslog replay' }, { onWritten: (count) => { deadLettered += count }, onLost: () => {} })
    for (const { letter, error } of unroutable) file.add(JSON.stringify(letter.record), `${error} (meant for ${letter.transport} "${letter.name}")`, 0)
    file.close()
    lines.push(`${unroutable.length} without a configured transport to go to`)
  }
  return { replayed: letters.length, delivered, deadLettered, deadLetter: deadLettered > 0 ? out : undefined, lines }
}

function readDeadLetters (file: string, shownAs: string): DeadLetter[] {
  return readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    if (line.trim() === '') return []
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new ConfigError('file', `line ${i + 1} of ${shownAs} is not JSON: not a daslog dead-letter file?`)
    }
    if (!isObject(value) || typeof value.transport !== 'string' || typeof value.name !== 'string' || !isObject(value.record)) {
      throw new ConfigError('file', `line ${i + 1} of ${shownAs} is not a dead letter ({ transport, name, error, attempts, record })`)
    }
    return [{ transport: value.transport, name: value.name, record: value.record }]
  })
}

/** Where a dead letter goes: its own transport, or every one that takes it (worker dead letters); a string says why nowhere. */
function route (letter: DeadLetter, targets: readonly ReplayTarget[]): readonly ReplayTarget[] | string {
  if (letter.transport === 'worker') {
    const level = typeof letter.record.level === 'number' ? letter.record.level : 0
    const event = typeof letter.record.event === 'string' ? letter.record.event : ''
    const takers = targets.filter((target) => level >= target.minLevel && target.accepts(event))
    return takers.length > 0 ? takers : 'no configured daslog transport takes this record'
  }
  const sameName = targets.filter((target) => target.name === letter.name)
  if (sameName.length === 1) return sameName
  const sameKind = targets.filter((target) => target.kind === letter.transport)
  if (sameKind.length === 1) return sameKind
  return sameKind.length === 0 ? `no ${letter.transport} transport is configured` : `several ${letter.transport} transports are configured and none is named "${letter.name}"`
}

/** The daslog targets of a `transport` option, their options checked as createLogger checks them. */
function replayTargets (transport: unknown, configFile: string): ReplayTarget[] {
  if (!isObject(transport)) throw new ConfigError('transport', 'the config file configures no transport to replay through', configFile)
  const targets = targetEntries(transport).flatMap(({ entry, where }): ReplayTarget[] => {
    const spec = daslogTransportOf(entry.target as string)
    if (spec === undefined) return []
    const { common, prepared } = parseTransportOptions(spec, entry.options, { target: where, file: configFile }, defaultCatalog)
    const level = entry.level
    const minLevel = typeof level === 'number' ? level : isLevelName(level) ? levelValues[level] : 0
    return [{ kind: spec.kind, name: common.name, minLevel, accepts: common.events, options: prepared }]
  })
  if (targets.length === 0) throw new ConfigError('transport', 'the config file configures no daslog transport to replay through', configFile)
  return targets
}

/** Runs the target's transport in this process, hands it the records, and waits until it delivered or dead-lettered each. */
async function deliverThrough (target: ReplayTarget, records: ReadonlyArray<Record<string, unknown>>, deadLetter: string): Promise<TransportStats> {
  const module = ownTransportFile(target.kind)
  if (module === undefined) throw new Error(`daslog's ${target.kind} transport module is missing`)
  const build = (await import(pathToFileURL(module).href) as { default: (options: unknown) => Promise<DaslogTransportStream> }).default
  // Every record is taken (it was once), and what fails goes to the new file.
  const { events: _events, ...options } = target.options
  const stream = await build({ ...options, name: target.name, deadLetter })
  for (const record of records) stream.write(`${JSON.stringify(record)}\n`)
  stream.end()
  await once(stream, 'close')
  return stream[transportControl].stats()
}
