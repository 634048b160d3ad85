import fc from 'fast-check'
import t from 'tap'
import { createLogger, Events, masking, type MaskingOptions, type Processor } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, withoutTime } from '../helpers.js'

/** A logger with only `masking(options)`: the call's fields go through the copy-on-write path. */
const masked = (options: MaskingOptions) => createTestLogger({ processors: [masking(options)] })
/** The same behind an ordinary processor: the record path, with the chain's own copy. */
const maskedThenTagged = (options: MaskingOptions) => createTestLogger({ processors: [masking(options), (record) => record] })

/** Deep-freezes a value, so any change made to the caller's objects throws (and the test sees the record missing). */
function deepFreeze<T> (value: T, seen = new Set<unknown>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value
  seen.add(value)
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen)
  return Object.freeze(value)
}

for (const [path, make] of [['fields path', masked], ['record path', maskedThenTagged]] as const) {
  t.test(`paths: exact, nested, wildcard, array and quoted (${path})`, async (t) => {
    const { logger, records } = make({ paths: ['password', 'user.email', 'users[*].token', '*.secret', 'headers["x-api-key"]', 'list[1]'] })
    const fields = deepFreeze({
      password: 'p',
      user: { email: 'a@b.co', name: 'Al' },
      users: [{ token: 't1', id: 1 }, { id: 2 }, { token: 't3' }],
      vault: { secret: 's', open: 'o' },
      headers: { 'x-api-key': 'k', accept: 'json' },
      list: ['a', 'b', 'c'],
      untouched: { user: { email: 'deeper paths are not masked by user.email' } }
    })
    logger.info(Events.PAYMENT_CHARGE_STARTED, fields as never)
    t.strictSame(withoutTime(records[0]), {
      level: 30,
      ...base,
      password: '[REDACTED]',
      user: { email: '[REDACTED]', name: 'Al' },
      users: [{ token: '[REDACTED]', id: 1 }, { id: 2 }, { token: '[REDACTED]' }],
      vault: { secret: '[REDACTED]', open: 'o' },
      headers: { 'x-api-key': '[REDACTED]', accept: 'json' },
      list: ['a', '[REDACTED]', 'c'],
      untouched: { user: { email: 'deeper paths are not masked by user.email' } },
      event: 'payment_charge_started'
    })
  })

  t.test(`keys at any depth, case-insensitive, whatever the value (${path})`, async (t) => {
    const { logger, records } = make({ keys: ['password', 'Authorization'] })
    const fields = deepFreeze({ password: 'a', nested: { deeper: [{ PASSWORD: { any: 'object' } }] }, headers: { authorization: 'Basic x' }, passwords: 'kept' })
    logger.info(Events.AUTH_LOGIN_STARTED, fields as never)
    t.match(records[0], { password: '[REDACTED]', nested: { deeper: [{ PASSWORD: '[REDACTED]' }] }, headers: { authorization: '[REDACTED]' }, passwords: 'kept' })
  })
}

t.test('value patterns inside any string, in their masked forms', async (t) => {
  const { logger, records } = masked({ patterns: ['email', 'card', 'jwt', 'bearer', 'phone', 'ipv4', /sk_live_\w+/, { regex: 'acct-\\d+', replacement: 'acct-#' }] })
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl'
  logger.info(Events.PAYMENT_CHARGE_STARTED, deepFreeze({
    email: 'user@example.com',
    note: 'mail alice.smith@mail.example.org or call +1 415-555-0100',
    card: '4111111111111111',
    spaced: 'paid with 4111 1111 1111 1111, ok',
    afterNumber: 'qty 2 4111 1111 1111 1111 and order-4111111111111111',
    dashed: '5500-0000-0000-0004',
    notACard: '4111111111111112',
    orderNumber: '1732300000000',
    auth: `Bearer ${jwt}`,
    header: 'authorization: bearer abc.DEF-123',
    ip: 'from 203.0.113.42',
    key: 'sk_live_abcdef123',
    account: 'acct-99812',
    deep: [{ list: ['reach me at bob@example.net'] }]
  }) as never)
  t.match(records[0], {
    email: 'u***@example.com',
    note: 'mail a***@mail.example.org or call ***-***-0100',
    card: '****-****-****-1111',
    spaced: 'paid with ****-****-****-1111, ok',
    afterNumber: 'qty 2 ****-****-****-1111 and order-****-****-****-1111',
    dashed: '****-****-****-0004',
    notACard: '4111111111111112',
    orderNumber: '1732300000000',
    auth: 'Bearer [REDACTED_JWT]',
    header: 'authorization: bearer [REDACTED]',
    ip: 'from 203.0.113.***',
    key: '[REDACTED]',
    account: 'acct-#',
    deep: [{ list: ['reach me at b***@example.net'] }]
  })
})

t.test('errors: message, stack, cause and own fields are masked; the type and the cause chain stay', async (t) => {
  const { logger, records } = masked({ keys: ['token'], patterns: ['email', 'card'] })
  class PaymentError extends Error {
    token = 'tok_123'
    constructor (message: string, options?: ErrorOptions) { super(message, options); this.name = 'PaymentError' }
  }
  const err = new PaymentError('card 4111 1111 1111 1111 declined for bob@example.com', { cause: new Error('gateway said: bob@example.com') })
  logger.error(Events.PAYMENT_CHARGE_FAILED, { err } as never)
  const written = records[0]!.err as Record<string, unknown>
  t.equal(written.type, 'PaymentError')
  t.equal(written.message, 'card ****-****-****-1111 declined for b***@example.com')
  t.match(written.stack, /^PaymentError: card \*\*\*\*-\*\*\*\*-\*\*\*\*-1111 declined for b\*\*\*@example\.com\n\s+at /)
  t.equal(written.token, '[REDACTED]')
  t.match(written.cause, { type: 'Error', message: 'gateway said: b***@example.com' })
  t.notMatch(JSON.stringify(records[0]), /bob@|4111 1111|tok_123/)
  t.equal(err.message, 'card 4111 1111 1111 1111 declined for bob@example.com', "the caller's error is unchanged")
  t.equal(err.token, 'tok_123')
})

for (const [path, make] of [['fields path', masked], ['record path', maskedThenTagged]] as const) {
  t.test(`an Error given as the fields is masked under err (${path})`, async (t) => {
    const { logger, records } = make({ paths: ['err.message'], patterns: ['email'] })
    logger.error(Events.PAYMENT_CHARGE_FAILED, new Error('no account for zoe@example.com') as never)
    t.match(records[0], { err: { type: 'Error', message: '[REDACTED]' } })
    t.notMatch(JSON.stringify(records[0]), /zoe@/)
  })
}

t.test('bound context is masked once, at bind(); bindings() shows what was bound', async (t) => {
  let calls = 0
  const mask = masking({ keys: ['api_key'], patterns: ['email'] })
  const maskFields = mask.fields!
  const spy = Object.assign(mask, { fields: (fields: Readonly<Record<string, unknown>>) => { calls++; return maskFields(fields) } })
  const { logger, records } = createTestLogger({ processors: [spy, (record) => record] })
  const bound = logger.bind({ api_key: 'k-1', owner: 'carol@example.com', tenant: 'acme' })
  t.equal(calls, 1)
  bound.info(Events.API_CALL_STARTED, { endpoint: '/x' } as never)
  bound.info(Events.API_CALL_STARTED, { endpoint: '/y' } as never)
  t.equal(calls, 1, 'not again per record')
  t.match(records[0], { api_key: '[REDACTED]', owner: 'c***@example.com', tenant: 'acme', endpoint: '/x' })
  t.strictSame(bound.bindings(), { api_key: '[REDACTED]', owner: 'c***@example.com', tenant: 'acme' })
})

t.test('implicit context is masked with the record', async (t) => {
  const { logger, records } = masked({ keys: ['session_token'] })
  logger.withContext({ session_token: 'st-1', request_id: 'r1' }, () => logger.info(Events.API_CALL_STARTED, {} as never))
  t.match(records[0], { session_token: '[REDACTED]', request_id: 'r1' })
})

t.test('mode hash: an HMAC, stable for a value, different per secret; never the value', async (t) => {
  const secret = 'a-long-enough-secret-0123456789'
  const { logger, records } = masked({ paths: ['user_id'], patterns: ['email'], mode: 'hash', secret })
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u-42', note: 'by ann@example.com' } as never)
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u-42', note: 'by ann@example.com' } as never)
  const other = masked({ paths: ['user_id'], mode: 'hash', secret: 'another-secret-of-enough-length' })
  other.logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u-42' } as never)
  t.match(records[0]!.user_id, /^hmac:[0-9a-f]{16}$/)
  t.match(records[0]!.note, /^by hmac:[0-9a-f]{16}$/)
  t.equal(records[1]!.user_id, records[0]!.user_id, 'the same value gives the same token')
  t.not(other.records[0]!.user_id, records[0]!.user_id, 'another secret gives another token')
})

t.test('mode remove: paths and keys are taken out, pattern matches cut from strings, array items dropped', async (t) => {
  const { logger, records } = masked({ paths: ['card', 'tags[0]'], keys: ['password'], patterns: ['email'], mode: 'remove' })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { card: '4111', tags: ['a', 'b'], user: { password: 'x', name: 'n' }, note: 'to: dan@example.com.', amount: 5 } as never)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, tags: ['b'], user: { name: 'n' }, note: 'to: .', amount: 5, event: 'payment_charge_started' })
})

t.test('censor sets the masked form of paths and keys', async (t) => {
  const { logger, records } = masked({ keys: ['pin'], censor: '***' })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { pin: 1234 } as never)
  t.equal(records[0]!.pin, '***')
})

t.test('nothing to mask: the caller\'s object is written as it is, not copied', async (t) => {
  const options: MaskingOptions = { paths: ['password'], keys: ['token'], patterns: ['email'] }
  const fields = { user_id: 'u1', nested: { a: [1, 2, { b: 'c' }] } }
  t.equal(masking(options).fields!(fields), fields, 'the same object comes back')
  const { logger, records } = masked(options)
  logger.info(Events.AUTH_LOGIN_SUCCESS, fields as never)
  t.match(records[0], { user_id: 'u1', nested: { a: [1, 2, { b: 'c' }] } })
})

t.test('hostile values: cycles, throwing getters and toJSON, deep nesting, boxed strings', async (t) => {
  const { logger, records } = masked({ keys: ['secret'], patterns: ['email'] })
  const cyclic: Record<string, unknown> = { name: 'loop', mail: 'eve@example.com' }
  cyclic.self = cyclic
  let deep: Record<string, unknown> = { secret: 'bottom', mail: 'deep@example.com' }
  for (let i = 0; i < 200; i++) deep = { next: deep }
  const getter = { get secret () { throw new Error('no') }, get mail () { throw new Error('no') }, ok: 'fine@example.com' }
  logger.info(Events.API_CALL_STARTED, { cyclic, deep, getter, boxed: new String('box@example.com'), json: { toJSON: () => ({ secret: 's', mail: 'j@example.com' }) } } as never)
  t.equal(records.length, 1, 'one record')
  const line = JSON.stringify(records[0])
  t.notMatch(line, /eve@|deep@|fine@|box@|j@example|bottom/)
  t.match(records[0], { cyclic: { name: 'loop', mail: 'e***@example.com', self: '[Circular]' }, getter: { ok: 'f***@example.com' }, boxed: 'b***@example.com', json: { secret: '[REDACTED]', mail: 'j***@example.com' } })
  t.match(line, /\[MaxDepth\]/)
})

t.test('bad options throw a ConfigError naming the option', async (t) => {
  const bad: Array<[unknown, string]> = [
    [{}, 'masking'],
    [{ paths: 5 }, 'masking.paths'],
    [{ paths: [''] }, 'masking.paths[0]'],
    [{ paths: ['a..b'] }, 'masking.paths[0]'],
    [{ paths: ['a[b]'] }, 'masking.paths[0]'],
    [{ paths: ['a["b'] }, 'masking.paths[0]'],
    [{ keys: [3] }, 'masking.keys[0]'],
    [{ patterns: ['mail'] }, 'masking.patterns[0]'],
    [{ patterns: [{ regex: '(' }] }, 'masking.patterns[0]'],
    [{ patterns: [/x*/] }, 'masking.patterns[0]'],
    [{ patterns: [{ regex: 'x', flag: 'i' }] }, 'masking.patterns[0].flag'],
    [{ keys: ['a'], mode: 'hide' }, 'masking.mode'],
    [{ keys: ['a'], mode: 'hash' }, 'masking.secret'],
    [{ keys: ['a'], mode: 'hash', secret: 'short' }, 'masking.secret'],
    [{ keys: ['a'], secret: 'a-long-enough-secret-0123456789' }, 'masking.secret'],
    [{ keys: ['a'], censor: 1 }, 'masking.censor'],
    [{ key: ['a'] }, 'masking.key']
  ]
  for (const [options, option] of bad) {
    t.throws(() => masking(options as MaskingOptions), { name: 'ConfigError', option }, `${JSON.stringify(options)} → ${option}`)
  }
})

// The property: a secret planted anywhere never reaches the output line.
const plantedToken = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((tail) => `sk_live_${tail}`)
const text = fc.string({ maxLength: 12 })
const secretLeaf = fc.oneof(
  fc.tuple(text, plantedToken, text).map(([a, token, b]) => `${a} ${token} ${b}`),
  fc.tuple(text, text).map(([a, b]) => `${a} alice.secret@example.com ${b}`),
  fc.tuple(text, text).map(([a, b]) => `${a} 4111 1111 1111 1111 ${b}`),
  fc.nat().map((n) => ({ password: `hunter2-${n}` })),
  fc.tuple(plantedToken, plantedToken).map(([a, b]) => new Error(`failed with ${a}`, { cause: new Error(`because ${b}`) }))
)
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    secretLeaf, text, fc.integer(), fc.boolean(), fc.constant(null),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 }))
})).node
const leaks = /sk_live_|alice\.secret|4111 1111 1111 1111|hunter2/

t.test('property: a secret planted at any depth, in arrays, errors, bound and implicit context, never reaches the line', async (t) => {
  const options: MaskingOptions = { keys: ['password'], patterns: ['email', 'card', /sk_live_[A-Za-z0-9]+/] }
  for (const chain of [[masking(options)], [masking(options), (record: never) => record]]) {
    const lines: string[] = []
    const logger = createLogger({ config: false, processors: chain as Processor[] }, { write (line: string) { lines.push(line) } })
    fc.assert(fc.property(tree, secretLeaf, secretLeaf, secretLeaf, (fields, err, bound, context) => {
      lines.length = 0
      const child = logger.bind({ bound })
      logger.withContext({ context }, () => child.error(Events.PAYMENT_CHARGE_FAILED, { fields, err, planted: err } as never))
      if (lines.length !== 1) throw new Error(`expected one line, got ${lines.length}`)
      JSON.parse(lines[0]!)
      const leaked = leaks.exec(lines[0]!)
      if (leaked !== null) throw new Error(`leaked ${leaked[0]} in ${lines[0]}`)
    }), { numRuns: 300 })
  }
  t.pass('no secret in 600 records')
})
