// The store suite on the embedded store (PGlite), in one folder for the whole file: a fresh folder takes seconds to create.
import t from 'tap'
import { openStore } from '../../src/store/index.js'
import { tempDir } from '../helpers.js'
import { storeSuite } from './store-suite.js'

const dir = tempDir('store-embedded')

storeSuite(t, (table) => openStore({ dir }, { table }))
