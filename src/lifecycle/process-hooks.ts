import type { ShutdownOptions } from './shutdown-options.js'

/** What a logger gives the process hooks: how to end it at once, in time, and how to record a crash. */
export interface ShutdownMember {
  readonly shutdown: ShutdownOptions
  /** At exit, synchronously: write what processors hold, then let the transports deliver (bounded by their close deadlines). */
  exitNow (): void
  /** On a signal: close within the grace period. */
  close (): Promise<void>
  /** On a signal the application handles itself: hand everything logged so far to the transports, and carry on. */
  flush (): Promise<void>
  /** Writes the `fatal` record of an uncaught exception (or unhandled rejection). */
  recordUncaught (error: unknown, origin: string): void
}

/**
 * One set of process listeners for every logger: `exit` (normal end and
 * `process.exit()`), the configured signals, and `uncaughtExceptionMonitor`
 * (which observes an uncaught exception without changing how the process
 * ends). A logger that holds records (its own transport worker, or
 * processors that keep records, such as batching) is held until it is
 * closed, so one the application dropped without `close()` still delivers
 * at exit; any other logger is held weakly, and one dropped is not kept
 * alive by this list. A logger leaves it when it is closed.
 */
const members = new Set<WeakRef<ShutdownMember>>()
/** The members that hold records, kept alive until they leave. */
const holding = new Set<ShutdownMember>()
const signalHandlers = new Map<NodeJS.Signals, () => void>()
let listening = false

/**
 * Adds a logger; returns the way to remove it. With `holdsRecords`, the
 * member is kept alive until then; without, keep a reference to `member`
 * for as long as it should take part.
 */
export function joinShutdown (member: ShutdownMember, holdsRecords: boolean): () => void {
  const ref = new WeakRef(member)
  members.add(ref)
  if (holdsRecords) holding.add(member)
  if (!listening) {
    listening = true
    process.on('exit', onExit)
    process.on('uncaughtExceptionMonitor', onUncaught)
  }
  for (const signal of member.shutdown.signals) {
    if (signalHandlers.has(signal)) continue
    const handler = (): void => { void onSignal(signal) }
    signalHandlers.set(signal, handler)
    process.on(signal, handler)
  }
  return () => {
    members.delete(ref)
    holding.delete(member)
    forgetUnusedSignals()
  }
}

function live (): ShutdownMember[] {
  const found: ShutdownMember[] = []
  for (const ref of members) {
    const member = ref.deref()
    if (member === undefined) members.delete(ref)
    else found.push(member)
  }
  return found
}

function onExit (): void {
  for (const member of live()) {
    try {
      member.exitNow()
    } catch {}
  }
}

function onUncaught (error: unknown, origin: string): void {
  for (const member of live()) {
    if (!member.shutdown.uncaughtException) continue
    try {
      member.recordUncaught(error, origin)
    } catch {}
  }
}

/** A signal is being handled: the loggers are closing, and the signal comes again when they are done. */
let closingOnSignal = false

/**
 * A signal daslog listens for. When the application listens too, the
 * application decides what happens: daslog only flushes, and delivers at
 * exit. Otherwise daslog closes every logger within the longest grace
 * period, then re-raises the signal so the process ends as it would have
 * (killed by it; a shell sees 128 + its number). A second signal while
 * closing ends the process at once.
 */
async function onSignal (signal: NodeJS.Signals): Promise<void> {
  const handler = signalHandlers.get(signal)!
  const loggers = live().filter((member) => member.shutdown.signals.includes(signal))
  if (applicationListens(signal, handler)) {
    for (const member of loggers) void member.flush().catch(() => {})
    return
  }
  if (!closingOnSignal) {
    closingOnSignal = true
    const graceMs = Math.max(0, ...loggers.map((member) => member.shutdown.graceMs))
    let timer: NodeJS.Timeout | undefined
    // The transports dead-letter what is left at graceMs; the rest of the margin is for their last writes.
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs + 2_000) })
    await Promise.race([Promise.allSettled(loggers.map((member) => member.close())), late])
    clearTimeout(timer)
  }
  for (const [name, listener] of signalHandlers) process.off(name, listener)
  signalHandlers.clear()
  process.kill(process.pid, signal)
}

/**
 * True when someone besides daslog handles `signal`. signal-exit (which many
 * tools load, tap and nyc among them) listens to every signal but ends the
 * process only when no one else listens; its listeners are not the
 * application deciding, so they are not counted. It counts its own the same way.
 */
function applicationListens (signal: NodeJS.Signals, ours: () => void): boolean {
  const others = process.listeners(signal).filter((listener) => listener !== ours).length
  return others > signalExitListeners()
}

function signalExitListeners (): number {
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[Symbol.for('signal-exit emitter')]?.count
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__?.count
  return (typeof v4 === 'number' ? v4 : 0) + (typeof v3 === 'number' ? v3 : 0)
}

function forgetUnusedSignals (): void {
  if (closingOnSignal) return
  const wanted = new Set(live().flatMap((member) => member.shutdown.signals))
  for (const [signal, handler] of signalHandlers) {
    if (wanted.has(signal)) continue
    process.off(signal, handler)
    signalHandlers.delete(signal)
  }
}
