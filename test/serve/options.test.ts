// daslog serve's settings: flags, else the environment, else the contract's defaults; each wrong one named.
import t from 'tap'
import { isLoopback, serveOptions } from '../../src/serve/options.js'
import { signingSecret } from './helpers.js'

t.test('defaults: port 8080 on 127.0.0.1, the embedded store in ./daslog-data, no auth, no AMQP, no chain', async (t) => {
  t.same(serveOptions({}, {}), { port: 8080, host: '127.0.0.1', db: undefined, data: 'daslog-data', table: undefined, tokens: [], basic: undefined, signingKeys: [], amqp: undefined, chain: undefined })
})

t.test('every setting from the environment; flags win; empty entries dropped', async (t) => {
  const env = {
    DASLOG_PORT: '9090', DASLOG_HOST: '0.0.0.0', DATABASE_URL: 'postgres://db/audit', DASLOG_TABLE: 'audit.events', DASLOG_TOKENS: ' a, ,b,,',
    DASLOG_BASIC_AUTH: 'admin:s:e:cret', DASLOG_SIGNING_SECRET: signingSecret, DASLOG_AMQP_URL: 'amqp://mq', DASLOG_QUEUE: 'audit', DASLOG_PREFETCH: '50'
  }
  const options = serveOptions({}, env)
  t.match(options, { port: 9090, host: '0.0.0.0', db: 'postgres://db/audit', table: 'audit.events', tokens: ['a', 'b'], basic: { user: 'admin', password: 's:e:cret' }, amqp: { url: 'amqp://mq', queue: 'audit', prefetch: 50 } })
  t.equal(options.signingKeys.length, 1)
  t.match(serveOptions({ port: '1', token: ['x,y', 'z'] }, env), { port: 1, tokens: ['x', 'y', 'z'] })
  t.same(serveOptions({}, { DASLOG_TOKENS: '', DASLOG_BASIC_AUTH: ' ', DASLOG_SIGNING_SECRET: '' }).tokens, [], 'empty settings are none')
})

t.test('--chain and --chain-key, or DASLOG_CHAIN and DASLOG_CHAIN_KEY: the chain the collector stores into', async (t) => {
  t.same(serveOptions({ chain: true }, {}).chain, { key: 'default' })
  t.same(serveOptions({ chain: true, 'chain-key': 'tenant-42' }, {}).chain, { key: 'tenant-42' })
  for (const on of ['true', '1', 'YES', ' true ']) t.same(serveOptions({}, { DASLOG_CHAIN: on, DASLOG_CHAIN_KEY: 'tenant-7' }).chain, { key: 'tenant-7' }, on)
  for (const off of ['false', '0', 'no', '']) t.equal(serveOptions({}, { DASLOG_CHAIN: off }).chain, undefined, JSON.stringify(off))
  t.same(serveOptions({ chain: true }, { DASLOG_CHAIN: 'false' }).chain, { key: 'default' }, 'the flag wins')
  t.equal(serveOptions({}, { DASLOG_CHAIN_KEY: '' }).chain, undefined, 'an empty key is none')})

t.test('a wrong setting is a ConfigError naming the flag', async (t) => {
  const cases: Array<[Record<string, unknown>, Record<string, string>, string, RegExp]> = [
    [{ port: '80a' }, {}, '--port', /whole number from 0 to 65535, got "80a"/],
    [{}, { DASLOG_PORT: '70000' }, '--port', /got "70000"/],
    [{ db: 'mysql://x' }, {}, '--db', /postgres:\/\//],
    [{ db: 'postgres://x', data: 'd' }, {}, '--db', /not both/],
    [{ basic: 'admin' }, {}, '--basic', /user:password/],
    [{ basic: 'admin:' }, {}, '--basic', /user:password/],
    [{ 'signing-secret': ['secret'] }, {}, '--signing-secret', /whsec_/],
    [{ queue: 'q' }, {}, '--queue', /goes with --amqp/],
    [{ amqp: 'amqp://mq' }, {}, '--queue', /give the queue/],
    [{ amqp: 'http://mq', queue: 'q' }, {}, '--amqp', /amqp:\/\//],
    [{ prefetch: '0' }, {}, '--prefetch', /from 1/],
    [{ 'chain-key': 'tenant-42' }, {}, '--chain-key', /goes with --chain/],
    [{}, { DASLOG_CHAIN: 'false', DASLOG_CHAIN_KEY: 'tenant-42' }, '--chain-key', /goes with --chain/],
    [{ chain: true, 'chain-key': 'k'.repeat(201) }, {}, '--chain-key', /at most 200 characters, got 201/],
    [{}, { DASLOG_CHAIN: 'on' }, '--chain', /DASLOG_CHAIN: expected true or false, got "on"/],
    [{ host: '192.168.1.5' }, {}, '--host', /192\.168\.1\.5 is reachable from other machines and no auth is configured/]
  ]
  for (const [flags, env, option, message] of cases) t.throws(() => serveOptions(flags, env), { name: 'ConfigError', option, problem: message }, JSON.stringify(flags))
  t.match(serveOptions({ host: '::', token: ['t'] }, {}), { host: '::' }, 'with auth, any address')
})

t.test('loopback addresses', async (t) => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) t.ok(isLoopback(host), host)
  for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) t.notOk(isLoopback(host), host)
})
