/**
 * The word rules of a catalog. A status is any well-formed word by default;
 * a catalog's top-level `statuses: [...]` list closes its vocabulary (see
 * parse-catalog.ts), and docs/catalog.md lists the common statuses as advice.
 */

/** One `_`-joined run of lowercase ASCII words: `password_reset`, `auth`, `v2`. */
export const wordsPattern = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** A field name in a catalog: an identifier. */
export const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Field names pino or daslog write themselves; a catalog may not declare them. */
export const reservedFieldNames: readonly string[] = ['event', 'level', 'time', 'msg']
