import t from 'tap'
import { compileEventPatterns } from '../src/index.js'
import { matchesEventPattern, patternProblem } from '../src/event-pattern.js'

t.test('globs over event names: prefix, suffix, exact, any', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['auth_*', 'auth_login_success', true],
    ['auth_*', 'oauth_login_success', false],
    ['*_failed', 'payment_charge_failed', true],
    ['*_failed', 'payment_failed_retry', false],
    ['auth_*_failed', 'auth_login_failed', true],
    ['auth_login_success', 'auth_login_success', true],
    ['auth_login_success', 'auth_login_successful', false],
    ['*', 'anything', true],
    ['cache.hit', 'cacheXhit', false]
  ]
  for (const [pattern, event, expected] of cases) t.equal(matchesEventPattern(pattern, event), expected, `${pattern} ~ ${event}`)
  const any = compileEventPatterns(['auth_*', '*_failed', 'cache_lookup_hit'])
  t.strictSame(['auth_logout_success', 'db_query_failed', 'cache_lookup_hit', 'cache_lookup_miss'].map(any), [true, true, true, false])
})

t.test('a pattern that is not an event glob is described', async (t) => {
  t.match(patternProblem('auth login'), /not an event glob/)
  t.match(patternProblem(''), /empty string/)
  t.match(patternProblem(3), /got number/)
  t.equal(patternProblem('auth_*'), undefined)
})
