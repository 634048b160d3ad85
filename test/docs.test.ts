// The docs keep up with the code: every option daslog accepts (as the code
// itself lists them, in its "unknown option (known: ...)" errors) is named on
// its docs page and shown in one of that page's code examples.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { batching, createLogger, masking, sampling } from 'daslog'
import { daslogOptionNames } from '../src/config/validate-options.js'

/** The option names an options check knows, read from the error it gives for an unknown one. */
function knownOptions (build: (probe: Record<string, unknown>) => unknown): string[] {
  try {
    build({ __probe__: 1 })
  } catch (error) {
    const known = /\(known: ([^)]*)\)/.exec((error as Error).message)
    if (known !== null) return known[1]!.split(', ')
    throw new Error(`no list of known options in: ${(error as Error).message}`, { cause: error })
  }
  throw new Error('an unknown option was accepted')
}

const transport = (kind: string, options: Record<string, unknown>) => (): unknown =>
  createLogger({ config: false, transport: { target: `daslog/transports/${kind}`, options } } as never)
const sid = 'AC' + '0'.repeat(32)
const groups: Array<{ page: string, what: string, names: readonly string[] }> = [
  { page: 'logger.md', what: 'createLogger', names: daslogOptionNames },
  { page: 'logger.md', what: 'pretty', names: knownOptions((probe) => createLogger({ config: false, pretty: probe })) },
  { page: 'delivery.md', what: 'shutdown', names: knownOptions((probe) => createLogger({ config: false, shutdown: probe as never })) },
  { page: 'processors.md', what: 'sampling', names: knownOptions((probe) => sampling(probe as never)) },
  { page: 'processors.md', what: 'sampling.rateLimit', names: knownOptions((probe) => sampling({ rateLimit: probe } as never)) },
  { page: 'processors.md', what: 'masking', names: knownOptions((probe) => masking(probe as never)) },
  { page: 'processors.md', what: 'batching', names: knownOptions((probe) => batching(probe as never)) }
]
for (const kind of ['csv', 'webhook', 'email', 'sms']) {
  groups.push({ page: 'transports.md', what: kind, names: knownOptions((probe) => transport(kind, probe)()) })
}
groups.push({ page: 'store.md', what: 'postgres', names: knownOptions((probe) => transport('postgres', probe)()) })
groups.push(
  { page: 'opentelemetry.md', what: 'otlp', names: knownOptions((probe) => transport('otlp', probe)()) },
  { page: 'opentelemetry.md', what: 'otlp batch', names: knownOptions((probe) => transport('otlp', { batch: probe })()) }
)
groups.push(
  { page: 'transports.md', what: 'csv rotate', names: knownOptions((probe) => transport('csv', { path: '/tmp/x.csv', rotate: probe })()) },
  { page: 'transports.md', what: 'webhook batch', names: knownOptions((probe) => transport('webhook', { url: 'http://127.0.0.1/', batch: probe })()) },
  { page: 'transports.md', what: 'retry', names: knownOptions((probe) => transport('webhook', { url: 'http://127.0.0.1/', retry: probe })()) },
  { page: 'transports.md', what: 'webhook circuitBreaker', names: knownOptions((probe) => transport('webhook', { url: 'http://127.0.0.1/', circuitBreaker: probe })()) },
  { page: 'transports.md', what: 'throttle', names: knownOptions((probe) => transport('email', { smtp: 'smtp://127.0.0.1', from: 'a@example.com', to: 'b@example.com', throttle: probe })()) },
  { page: 'transports.md', what: 'sms rateLimit', names: knownOptions((probe) => transport('sms', { accountSid: sid, authToken: 't', from: '+15550001111', to: '+15550002222', rateLimit: probe })()) }
)

const docs = join(import.meta.dirname, '..', 'docs')
/** A page split into its code blocks and its prose. */
function page (name: string): { code: string, prose: string } {
  const parts = readFileSync(join(docs, name), 'utf8').split(/^```.*$/m)
  return { prose: parts.filter((_, i) => i % 2 === 0).join('\n'), code: parts.filter((_, i) => i % 2 === 1).join('\n') }
}

for (const { page: name, what, names } of groups) {
  t.test(`docs/${name} documents every ${what} option with an example`, async (t) => {
    t.ok(names.length > 0)
    const { code, prose } = page(name)
    for (const option of names) {
      t.ok(prose.includes(`\`${option}\``) || prose.includes(`\`${what.split(' ').pop()!}.${option}\``), `${what}: \`${option}\` is described`)
      t.ok(new RegExp(`(^|[\\s{,(])"?${option}"?\\s*:`, 'm').test(code), `${what}: \`${option}\` appears in an example`)
    }
  })
}

t.test('every docs page is linked from the README, and every relative link in the docs resolves', async (t) => {
  const readme = readFileSync(join(docs, '..', 'README.md'), 'utf8')
  for (const file of readdirSync(docs)) t.ok(readme.includes(`](docs/${file})`), `README links docs/${file}`)
  for (const file of ['README.md', ...readdirSync(docs).map((name) => join('docs', name))]) {
    const text = readFileSync(join(docs, '..', file), 'utf8')
    const base = join(docs, '..', file, '..')
    for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(#[^)]*)?\)/g)) {
      t.doesNotThrow(() => readFileSync(join(base, target!)), `${file}: link to ${target} resolves`)
    }
  }
})

t.test('docs/transports.md says what each stats counter counts: retried is records sent again, not tries; transport names the kind', async (t) => {
  const { prose } = page('transports.md')
  const text = prose.replace(/\s+/g, ' ')
  t.match(text, '`retried` counts records sent again, not tries')
  t.match(text, 'a batch of 5 records that fails twice and then goes through counts 10')
  t.match(text, '`pretty` for the pretty console')
})
