/**
 * The statuses every catalog may use. A catalog adds its own with a
 * top-level `statuses: [...]` list; a status outside both is an error, so a
 * typo (`sucess`) never becomes a new event.
 */
export const defaultStatuses: readonly string[] = [
  // lifecycle
  'started', 'completed', 'success', 'failed', 'initiated', 'requested', 'received',
  'pending', 'queued', 'retried', 'cancelled', 'skipped', 'timeout', 'ended',
  // outcomes
  'accepted', 'rejected', 'allowed', 'denied', 'approved', 'declined', 'expired',
  'invalid', 'valid', 'detected', 'exceeded', 'slow', 'hit', 'miss',
  // state changes
  'created', 'updated', 'deleted', 'changed', 'issued', 'revoked', 'opened',
  'closed', 'committed', 'rollback', 'sent', 'delivered', 'recorded', 'reported',
  'accessed', 'downloaded', 'uploaded', 'locked', 'unlocked', 'enabled', 'disabled'
]

/** One `_`-joined run of lowercase ASCII words: `password_reset`, `auth`, `v2`. */
export const wordsPattern = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** A field name in a catalog: an identifier. */
export const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Field names pino or daslog write themselves; a catalog may not declare them. */
export const reservedFieldNames: readonly string[] = ['event', 'level', 'time', 'msg']
