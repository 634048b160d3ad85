// daslog serve on the local PostgreSQL server, in a fresh database; and daslog query --server against it.
import t from 'tap'
import { freshDatabase } from '../store/helpers.js'
import { readyCollector } from './helpers.js'
import { serveSuite } from './serve-suite.js'

const url = await freshDatabase(t)

// In a subtest, so the collector closes before the database is dropped.
t.test('on PostgreSQL', async (t) => {
  const collector = await readyCollector({ db: url })
  t.teardown(() => collector.close())
  serveSuite(t, () => collector)
})
