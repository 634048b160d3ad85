import type { PGlite } from '@electric-sql/pglite'
import type { Driver } from './driver.js'

/**
 * The store on PGlite, a PostgreSQL compiled to WebAssembly, in a folder:
 * one connection, so every call waits for the one before it (a script's
 * BEGIN ... COMMIT never interleaves with a query). Parameters go through
 * `query`, scripts through `exec`, as PGlite asks. Creating a fresh folder
 * takes seconds (reopening one well under one); PGlite is loaded only
 * when an embedded store is opened.
 */
export async function pgliteDriver (dir: string): Promise<Driver> {
  const { PGlite } = await import('@electric-sql/pglite')
  const db: PGlite = await PGlite.create(dir)
  let turn: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work, work)
    turn = result.catch(() => {})
    return result
  }
  return {
    query: <R>(sql: string, params: readonly unknown[]) => serial(async () => {
      const result = await db.query<R>(sql, params as unknown[])
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
    }),
    exec: (sql: string) => serial(async () => { await db.exec(sql) }),
    close: () => serial(() => db.close())
  }
}
