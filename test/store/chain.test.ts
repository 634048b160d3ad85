// The hash chain (chain: true) and `daslog verify` against the local PostgreSQL server:
// two writer processes into one chain, every kind of tampering done with psql and
// caught (and forgiven once undone), a writer SIGKILLed mid-batch, anchored heads.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createLogger } from '../../src/index.js'
import { run } from '../../src/cli/run.js'
import { openStore, type Store } from '../../src/store/index.js'
import { canonicalColumnsSql, chainHash, type CanonicalRow } from '../../src/store/chain.js'
import { runChild } from '../reliability/child.js'
import { tempDir } from '../helpers.js'
import { freshDatabase, idOf, sql } from './helpers.js'

const url = await freshDatabase(t)
const writer = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'chain-writer.ts')

async function daslog (...args: string[]): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, (line) => { out.push(line) }, (line) => { err.push(line) })
  return { code, out, err }
}

/** SQL as an operator (or an intruder) would run it: psql, stopping at the first error. */
function psql (text: string): void {
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', text], { stdio: ['ignore', 'ignore', 'pipe'] })
}

async function eventAt (table: string, seq: number): Promise<string> {
  const [row] = await sql<{ id: string }>(url, `SELECT event_id::text AS id FROM ${table} WHERE seq = $1`, [seq])
  return row!.id
}

async function opened (t: Test, options: Parameters<typeof openStore>[1]): Promise<Store> {
  const store = await openStore(url, options)
  t.teardown(() => store.close())
  await store.migrate()
  return store
}

t.test('two processes log 1,000 audit events each into one chain (the server defaulting to REPEATABLE READ): gap-free, verified', async (t) => {
  // The chain sets READ COMMITTED itself: under a REPEATABLE READ snapshot taken before the lock it would fork.
  await sql(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_isolation = 'repeatable read'`)
  t.teardown(() => sql(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} RESET default_transaction_isolation`))
  // Both write at once: each waits, once ready, for the start file, made when both are ready.
  const start = join(tempDir('chain'), 'start')
  let ready = 0
  const children = ['a', 'b'].map((name) => runChild(writer, ['logger', url, 'audit', '1000', name, start], {
    timeoutMs: 120_000,
    onLogged: () => { if (++ready === 2) writeFileSync(start, '') }
  }))
  for (const child of await Promise.all(children)) {
    t.equal(child.code, 0, child.stderr)
    t.match(JSON.parse(/^stats (.*)$/m.exec(child.stdout)?.[1] ?? 'null'), [{ accepted: 1000, delivered: 1000, deadLettered: 0 }])
  }
  const [counts] = await sql<{ rows: number, seqs: number, min: string, max: string, a: number, b: number }>(url,
    "SELECT count(*)::int AS rows, count(DISTINCT seq)::int AS seqs, min(seq)::text AS min, max(seq)::text AS max, count(*) FILTER (WHERE service = 'a')::int AS a, count(*) FILTER (WHERE service = 'b')::int AS b FROM audit")
  t.same(counts, { rows: 2000, seqs: 2000, min: '1', max: '2000', a: 1000, b: 1000 }, 'every row once, seq 1..2000 without a gap or a repeat')
  const interleaved = await sql<{ switches: number }>(url, 'SELECT count(*)::int AS switches FROM (SELECT service, lag(service) OVER (ORDER BY seq) AS before FROM audit) s WHERE service <> before')
  t.ok(interleaved[0]!.switches > 2, `the writers' batches interleave in the chain (${interleaved[0]!.switches} switches)`)
  const verified = await daslog('verify', '--db', url, '--table', 'audit')
  t.equal(verified.code, 0, verified.err.join('\n'))
  t.match(verified.out.join('\n'), /^daslog verify: 2000 row\(s\) verified in chain "default" of audit, head 2000:[0-9a-f]{64}$/)
  const store = await opened(t, { table: 'audit' })
  for (const batch of [1, 7, 1000, 2000]) t.match(await store.verify({ batch }), { ok: true, rows: 2000, head: { seq: '2000' } }, `pages of ${batch}`)
  await t.rejects(store.verify({ batch: 0 }), { name: 'StoreError', option: 'batch' })
})

t.test('tampering with psql: each case names the right event, and undoing it verifies again', async (t) => {
  const verify = async (...args: string[]): Promise<{ code: number, out: string[], err: string[] }> => await daslog('verify', '--db', url, '--table', 'audit', ...args)
  const brokenAt = async (t: Test, id: string, reason: RegExp, ...args: string[]): Promise<void> => {
    const result = await verify(...args)
    t.equal(result.code, 1, 'exits 1')
    t.match(result.err.join('\n'), new RegExp(`broken at event ${id} \\(seq \\d+\\): ${reason.source}`))
  }
  const passes = async (t: Test, rows = 2000): Promise<void> => {
    const result = await verify()
    t.equal(result.code, 0, result.err.join('\n'))
    t.match(result.out.join('\n'), `${rows} row(s) verified`)
  }

  t.test('an edited field: 12.5 stored as 12.50 (the same number to JavaScript)', async (t) => {
    const id = await eventAt('audit', 500)
    const [before] = await sql<{ amount: string, data: Record<string, unknown> }>(url, "SELECT data->>'amount' AS amount, data FROM audit WHERE seq = 500")
    psql("UPDATE audit SET data = jsonb_set(data, '{amount}', ((data->>'amount') || '0')::jsonb) WHERE seq = 500")
    const [after] = await sql<{ amount: string, data: Record<string, unknown> }>(url, "SELECT data->>'amount' AS amount, data FROM audit WHERE seq = 500")
    t.equal(after!.amount, `${before!.amount}0`, 'stored as 499.50')
    t.same(after!.data, before!.data, 'the same row to JavaScript')
    await brokenAt(t, id, /hash does not match the row/)
    psql("UPDATE audit SET data = jsonb_set(data, '{amount}', rtrim(data->>'amount', '0')::jsonb) WHERE seq = 500")
    await passes(t)
  })

  t.test('a time moved by one microsecond; a level; the service', async (t) => {
    const id = await eventAt('audit', 700)
    for (const [change, undo] of [
      ["time = time + interval '1 microsecond'", "time = time - interval '1 microsecond'"],
      ['level = 50', 'level = 30'],
      ["service = 'x'", "service = 'a'"]
    ] as const) {
      const [before] = await sql<{ service: string }>(url, 'SELECT service FROM audit WHERE seq = 700')
      psql(`UPDATE audit SET ${change} WHERE seq = 700`)
      await brokenAt(t, id, /hash does not match the row/)
      psql(`UPDATE audit SET ${undo.replace("'a'", `'${before!.service}'`)} WHERE seq = 700`)
      await passes(t)
    }
  })

  t.test('a deleted row: the one after it is named', async (t) => {
    const next = await eventAt('audit', 801)
    psql('CREATE TABLE saved AS SELECT * FROM audit WHERE seq BETWEEN 800 AND 820; DELETE FROM audit WHERE seq BETWEEN 800 AND 820')
    const after = await eventAt('audit', 821)
    await brokenAt(t, after, /seq jumps from 799 to 821/)
    const store = await opened(t, { table: 'audit' })
    for (const batch of [1, 7, 799, 800]) t.match(await store.verify({ batch }), { ok: false, rows: 799, problem: { event_id: after, seq: '821' } }, `pages of ${batch}`)
    psql('INSERT INTO audit SELECT * FROM saved WHERE seq <> 800; DELETE FROM saved WHERE seq <> 800')
    await brokenAt(t, next, /seq jumps from 799 to 801/)
    psql('INSERT INTO audit SELECT * FROM saved; DROP TABLE saved')
    await passes(t)
  })

  t.test('an inserted row, a copy of seq 900 under another event id', async (t) => {
    const forged = '00000000-0000-4000-8000-000000000000'
    psql(`INSERT INTO audit SELECT '${forged}', time, level, event, domain, action, status, correlation_id, service, data, chain_key, seq, prev_hash, hash FROM audit WHERE seq = 900`)
    await brokenAt(t, forged, /hash does not match the row/)
    psql(`UPDATE audit SET event_id = 'ffffffff-ffff-4fff-bfff-ffffffffffff', hash = 'forged' WHERE event_id = '${forged}'`)
    await brokenAt(t, 'ffffffff-ffff-4fff-bfff-ffffffffffff', /seq 900 comes again/)
    psql("DELETE FROM audit WHERE event_id = 'ffffffff-ffff-4fff-bfff-ffffffffffff'")
    await passes(t)
  })

  t.test('two rows swapped (their seqs exchanged)', async (t) => {
    const second = await eventAt('audit', 1001)
    psql('UPDATE audit SET seq = CASE seq WHEN 1000 THEN 1001 ELSE 1000 END WHERE seq IN (1000, 1001)')
    await brokenAt(t, second, /prev_hash is not the hash of seq 999/)
    psql('UPDATE audit SET seq = CASE seq WHEN 1000 THEN 1001 ELSE 1000 END WHERE seq IN (1000, 1001)')
    await passes(t)
  })

  t.test('--head, --expect and --from: deleting the last rows and rewriting every hash after an edit are caught only against the anchor', async (t) => {
    const head = await verify('--head')
    t.equal(head.code, 0)
    t.match(head.out, [/^2000:[0-9a-f]{64}$/])
    const anchor = head.out[0]!
    const [early] = (await verify('--head', '--from', '1', '--expect', anchor)).out
    t.equal(early, anchor, '--expect of the head itself holds')
    const last = await eventAt('audit', 2000)

    psql('CREATE TABLE saved AS SELECT * FROM audit WHERE seq >= 1999; DELETE FROM audit WHERE seq >= 1999')
    await passes(t, 1998)
    await brokenAt(t, await eventAt('audit', 1998), /the chain ends at seq 1998, before the anchored seq 2000/, '--expect', anchor)
    psql('INSERT INTO audit SELECT * FROM saved; DROP TABLE saved')
    await passes(t)

    // The intruder edits seq 1500 and recomputes the hash of every row from it on, as daslog would.
    const [anchor1400] = await sql<{ link: string }>(url, "SELECT seq || ':' || hash AS link FROM audit WHERE seq = 1400")
    psql('CREATE TABLE saved AS SELECT * FROM audit WHERE seq >= 1500')
    psql(`UPDATE audit SET data = data || '{"amount": 0}' WHERE seq = 1500`)
    const rows = await sql<CanonicalRow & { seq: string, prev_hash: string }>(url, `SELECT seq::text AS seq, prev_hash, ${canonicalColumnsSql('t')} FROM audit t WHERE seq >= 1500 ORDER BY seq`)
    let prev = rows[0]!.prev_hash
    const rewrite: string[] = []
    for (const row of rows) {
      const hash = chainHash(prev, row)
      rewrite.push(`UPDATE audit SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${row.seq};`)
      prev = hash
    }
    psql(rewrite.join('\n'))
    await passes(t)
    await brokenAt(t, last, /hash differs from the anchored 2000:[0-9a-f]{64}: the chain up to it was rewritten/, '--expect', anchor)
    t.equal((await verify('--expect', anchor1400!.link)).code, 0, 'an anchor before the rewrite still holds')
    psql('DELETE FROM audit WHERE seq >= 1500; INSERT INTO audit SELECT * FROM saved; DROP TABLE saved')
    t.equal((await verify('--expect', anchor)).code, 0)

    const tail = await verify('--from', '1999')
    t.match(tail.out.join('\n'), /^daslog verify: 2 row\(s\) verified/, '--from verifies from that seq on')
    t.match(await verify('--expect', '12:nothex'), { code: 1, err: [/Invalid --expect: expected <seq>:<sha-256 hex>/] })
    t.match(await verify('--from', 'x'), { code: 1, err: [/Invalid option "--from": expected a seq/] })
    t.match(await verify('--from', '10', '--expect', anchor1400!.link.replace(/^1400/, '5')), { code: 1, err: [/before --from 10/] })
  })
})

t.test('a writer SIGKILLed mid-batch: the chain still verifies, and the next writer continues it', async (t) => {
  const setup = await openStore(url, { table: 'killed' })
  await setup.migrate()
  await setup.close()
  // Killed once its first batch committed: by then its next batch of 5,000 is on its way or in its transaction.
  const child = await runChild(writer, ['store', url, 'killed', '5000'], { signal: 'SIGKILL', timeoutMs: 60_000 })
  t.equal(child.signal, 'SIGKILL')
  const [before] = await sql<{ rows: number, max: string }>(url, 'SELECT count(*)::int AS rows, max(seq)::text AS max FROM killed')
  const committed = before!.rows
  t.ok(committed >= 5000 && committed % 5000 === 0, `only whole batches committed (${committed} rows)`)
  t.equal(before!.max, String(committed), 'gap-free')
  t.match((await daslog('verify', '--db', url, '--table', 'killed')).out, [new RegExp(`^daslog verify: ${committed} row\\(s\\) verified`)])
  const store = await opened(t, { table: 'killed', chain: true, lockTimeoutMs: 2_000 })
  t.same(await store.insert([{ event_id: idOf(1), event: 'payment_process_success' }, { event_id: idOf(2), event: 'payment_process_success' }]), { inserted: 2, duplicates: 0 })
  const result = await store.verify()
  t.match(result, { ok: true, rows: committed + 2, head: { seq: String(committed + 2) } })
})

t.test('a table made before the chain: migrate adds its columns, old rows stay unchained, new ones chain', async (t) => {
  psql(`CREATE TABLE old (event_id uuid PRIMARY KEY, time timestamptz NOT NULL, level smallint, event text NOT NULL, domain text, action text,
    status text, correlation_id text, service text, data jsonb NOT NULL DEFAULT '{}'::jsonb)`)
  const plain = await openStore(url, { table: 'old' })
  t.teardown(() => plain.close())
  t.same(await plain.insert([{ event_id: idOf(1), event: 'auth_login_success' }]), { inserted: 1, duplicates: 0 }, 'an unchained insert needs no chain column')
  const store = await opened(t, { table: 'old', chain: true })
  await store.migrate()
  t.same(await store.insert([{ event_id: idOf(1), event: 'auth_login_success' }, { event_id: idOf(2), event: 'auth_login_success' }]), { inserted: 1, duplicates: 1 })
  t.same(await plain.insert([{ event_id: idOf(3), event: 'auth_login_success' }]), { inserted: 1, duplicates: 0 })
  t.match(await store.verify(), { ok: true, rows: 1, head: { seq: '1' } })
  t.same(await sql(url, 'SELECT event_id::text AS id, seq::int AS seq FROM old ORDER BY event_id'), [{ id: idOf(1), seq: null }, { id: idOf(2), seq: 1 }, { id: idOf(3), seq: null }])
})

t.test('daslog schema --append-only: UPDATE, DELETE and TRUNCATE are rejected, inserts and verify go on', async (t) => {
  const printed = await daslog('schema', '--append-only', '--table', 'ao')
  t.match(printed.out.join('\n'), /CREATE TRIGGER "ao_append_only" BEFORE UPDATE OR DELETE ON "ao"/)
  t.notMatch((await daslog('schema')).out.join('\n'), /TRIGGER/, 'only when asked for')
  for (let i = 0; i < 2; i++) t.match(await daslog('schema', '--append-only', '--table', 'ao', '--db', url), { code: 0, out: [/^daslog: ao is ready in the database, with \d+ audit view\(s\), append-only$/], err: [] })
  const store = await opened(t, { table: 'ao', chain: true })
  t.same(await store.insert([{ event_id: idOf(1), event: 'auth_login_success' }, { event_id: idOf(2), event: 'auth_login_success' }]), { inserted: 2, duplicates: 0 })
  for (const change of ["UPDATE ao SET event = 'x'", 'DELETE FROM ao', 'TRUNCATE ao']) {
    let refusal = 'it succeeded'
    try {
      psql(change)
    } catch (error) {
      refusal = String((error as { stderr: Buffer }).stderr)
    }
    t.match(refusal, /daslog: (UPDATE|DELETE|TRUNCATE) on public\.ao is rejected: the table is append-only/, change)
  }
  t.match(await store.verify(), { ok: true, rows: 2 })
})

t.test('the postgres transport checks chain and chainKey', async (t) => {
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: { connectionString: url, chain: 'yes' } } }), { name: 'TransportConfigError', option: 'chain' })
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: { connectionString: url, chain: true, chainKey: 7 } } }), { name: 'TransportConfigError', option: 'chainKey' })
})
