/**
 * Flushes what processors hold (batches, suppression counts) when the
 * process exits. One `exit` listener for all loggers, put in front of the
 * others so the records reach a transport before pino's own exit handler
 * ends it. Loggers are held weakly: one dropped without `close()` is not kept
 * alive by this list.
 */

const pending = new Set<WeakRef<() => void>>()
let listening = false

function flushAll (): void {
  for (const ref of pending) {
    const flush = ref.deref()
    if (flush === undefined) {
      pending.delete(ref)
      continue
    }
    try {
      flush()
    } catch {}
  }
}

/** Registers `flush` to run at exit; returns the function that unregisters it. Keep a reference to `flush` while it should run. */
export function flushAtExit (flush: () => void): () => void {
  if (!listening) {
    listening = true
    process.prependListener('exit', flushAll)
  }
  const ref = new WeakRef(flush)
  pending.add(ref)
  return () => { pending.delete(ref) }
}
