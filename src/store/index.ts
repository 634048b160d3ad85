export { openStore } from './store.js'
export { schemaDdl, defaultTable } from './schema.js'
export { StoreError } from './store-error.js'

export type { Store, StoreTarget, StoreOptions, InsertResult } from './store.js'
export type { QueryFilter, QueryResult } from './query.js'
export type { StoredEvent } from './rows.js'
