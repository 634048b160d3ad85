/** One statement with bound parameters. */
export type Query = <R>(sql: string, params: readonly unknown[]) => Promise<{ rows: R[], rowCount: number }>

/** What the store needs of a database, the same for node-postgres and PGlite. */
export interface Driver {
  readonly query: Query
  /** A script of several statements, without parameters. */
  exec (sql: string): Promise<void>
  /** Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T> (work: (query: Query) => Promise<T>): Promise<T>
  close (): Promise<void>
}
