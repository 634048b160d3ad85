/** What the store needs of a database, the same for node-postgres and PGlite. */
export interface Driver {
  /** One statement with bound parameters. */
  query<R> (sql: string, params: readonly unknown[]): Promise<{ rows: R[], rowCount: number }>
  /** A script of several statements, without parameters. */
  exec (sql: string): Promise<void>
  close (): Promise<void>
}
