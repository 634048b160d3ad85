import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'

/** The local PostgreSQL server the tests use (trust auth on loopback). */
export const serverUrl = process.env.DASLOG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The URL of a database of the given name on the test server. */
export function databaseUrl (name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.href
}

/** A fresh database with a random name, dropped when the test ends (its connections closed first); returns its URL. */
export async function freshDatabase (t: Test): Promise<string> {
  const name = `daslog_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: serverUrl })
    await dropper.connect()
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await dropper.end()
  })
  return databaseUrl(name)
}

/** Runs one SQL statement on a database and gives its rows. */
export async function sql<R = Record<string, unknown>> (url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as R[]
  } finally {
    await client.end()
  }
}

/** A UUID v7-shaped id whose order follows `n` (for tests that need known ids). */
export function idOf (n: number): string {
  const hex = n.toString(16).padStart(12, '0')
  return `01900000-0000-7000-8000-${hex}`
}
