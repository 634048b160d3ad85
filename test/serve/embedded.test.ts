// daslog serve on the embedded store (PGlite in a folder).
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers.js'
import { readyCollector } from './helpers.js'
import { serveSuite } from './serve-suite.js'

const collector = await readyCollector({ data: join(tempDir('serve'), 'data') })
t.teardown(() => collector.close())

serveSuite(t, () => collector)
