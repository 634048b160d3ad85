export { openStore } from './store.js'
export { schemaDdl, defaultTable } from './schema.js'
export { StoreError } from './store-error.js'
export { parseLink } from './verify.js'

export type { Store, StoreTarget, StoreOptions, InsertOptions, InsertResult } from './store.js'
export type { VerifyOptions, VerifyResult, ChainLink, ChainProblem } from './verify.js'
export type { QueryFilter, QueryResult } from './query.js'
export type { StoredEvent } from './rows.js'
