// daslog serve --chain on the embedded store (PGlite in a folder); the folder is reached directly (verify --data,
// SQL) only between a stop and a restart of the collector: one process at a time opens it.
import { join } from 'node:path'
import t from 'tap'
import type { Collector } from '../../src/serve/server.js'
import { tempDir } from '../helpers.js'
import { chainSuite } from './chain-suite.js'
import { allAuth, daslog, readyCollector } from './helpers.js'

const data = join(tempDir('serve-chain'), 'data')
const start = (): Promise<Collector> => readyCollector({ data }, { ...allAuth, chain: true })
let collector = await start()
t.teardown(() => collector.close())

async function offline<T> (work: () => Promise<T>): Promise<T> {
  await collector.close()
  try {
    return await work()
  } finally {
    collector = await start()
  }
}

chainSuite(t, {
  collector: () => collector,
  local: (...args) => offline(() => daslog('verify', '--data', data, ...args)),
  tamper: (sql) => offline(async () => {
    const { PGlite } = await import('@electric-sql/pglite')
    const db = await PGlite.create(data)
    try {
      await db.exec(sql)
    } finally {
      await db.close()
    }
  })
})
