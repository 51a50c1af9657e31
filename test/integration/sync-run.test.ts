/**
 * The built holding-pivot-sync against a real PostgreSQL, with test/support/fake-kcat.mjs in
 * kcat's place (--kcat) serving the recorded topic: what it loads, how it resumes after kcat
 * fails, rejects, stops on SIGTERM and on a retention gap, and its exit statuses.
 * Gated like postgres.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createScratchDatabase, dropScratchDatabase, probeServer, psql, query, ROOT, SERVER, type Target } from './psql.js';

const server = probeServer();
const skip = !server.ok && !/^(1|true)$/i.test(process.env.CI ?? '');

const SYNC = join(ROOT, 'bin', 'holding-pivot-sync.js');
const FAKE_KCAT = join(ROOT, 'test', 'support', 'fake-kcat.mjs');
const RECORDED = join(ROOT, 'fixtures', 'recorded', 'holding.kcat-J.txt');
const TOPIC = 'bankserver1.bank.holding';
// The recorded walkthrough with --snapshot: 15 events of two rows each (and 3 tombstones).
const ROWS = 30;

describe.skipIf(skip)('holding-pivot-sync, built, with a stand-in kcat (PostgreSQL)', () => {
  let database = '';
  let dir = '';
  let schemas = 0;

  beforeAll(() => {
    assertBuilt();
    database = createScratchDatabase();
    dir = mkdtempSync(join(tmpdir(), 'holding-pivot-sync-'));
  });
  afterAll(() => {
    if (database !== '') dropScratchDatabase(database);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  /** A schema of its own holding the three tables. */
  function freshTarget(): Target {
    const schema = `run_${++schemas}`;
    psql({ database }, ['-q', '-c', `CREATE SCHEMA ${schema}`]);
    const target = { database, schema };
    psql(target, ['-q', '-f', join(ROOT, 'sql', 'holding_pivot_audit.sql'), '-f', join(ROOT, 'sql', 'holding_pivot_sync.sql')]);
    return target;
  }

  function env(target: Target, lines: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      PGHOST: SERVER.host,
      PGPORT: SERVER.port,
      PGUSER: SERVER.user,
      PGDATABASE: target.database,
      PGOPTIONS: `-c search_path=${target.schema}`,
      FAKE_KCAT_LINES: lines,
      ...extra,
    };
  }

  const args = (...more: string[]) => [SYNC, '-b', '127.0.0.1:1', '-t', TOPIC, '--kcat', FAKE_KCAT, '--snapshot', ...more];

  function drain(target: Target, lines = RECORDED, extra: NodeJS.ProcessEnv = {}, more: string[] = []) {
    const r = spawnSync(process.execPath, args('--drain', '--stats', ...more), { cwd: ROOT, env: env(target, lines, extra), encoding: 'utf8' });
    // durations vary; the rest is exact
    return { status: r.status, stderr: r.stderr.replace(/\d+ ms;/g, 'T ms;') };
  }

  const state = (target: Target) => ({
    rows: Number(query(target, 'SELECT count(*) FROM holding_pivot_audit')[0]),
    changes: Number(query(target, 'SELECT count(DISTINCT (event_id, change_field)) FROM holding_pivot_audit')[0]),
    beyond: Number(query(target, 'SELECT count(*) FROM holding_pivot_audit, holding_pivot_sync_offsets WHERE kafka_offset >= next_offset')[0]),
    offsets: query(target, "SELECT kafka_partition || ':' || next_offset FROM holding_pivot_sync_offsets"),
    rejects: query(target, "SELECT kafka_offset || ' ' || reason FROM holding_pivot_sync_rejects"),
  });

  it('--drain loads the whole topic in batches and exits 0; drained again, it loads nothing more', () => {
    const target = freshTarget();
    expect(drain(target, RECORDED, {}, ['--batch-rows', '12'])).toEqual({
      status: 0,
      stderr: [
        'holding-pivot-sync: batch 1: 12 rows from 7 messages (6 events, 1 tombstone, 0 skipped, 0 rejected), offsets 0:0-6, T ms; lag 11 messages',
        'holding-pivot-sync: batch 2: 12 rows from 7 messages (6 events, 1 tombstone, 0 skipped, 0 rejected), offsets 0:7-13, T ms; lag 4 messages',
        'holding-pivot-sync: batch 3: 6 rows from 4 messages (3 events, 1 tombstone, 0 skipped, 0 rejected), offsets 0:14-17, T ms; lag 0 messages',
        'holding-pivot-sync: drained: 3 batches, 18 messages, 30 rows, 0 rejected; lag 0 messages',
        '',
      ].join('\n'),
    });
    expect(state(target)).toEqual({ rows: ROWS, changes: ROWS, beyond: 0, offsets: ['0:18'], rejects: [] });
    expect(drain(target)).toEqual({ status: 0, stderr: 'holding-pivot-sync: drained: 0 batches, 0 messages, 0 rows, 0 rejected; lag 0 messages\n' });
    expect(state(target).rows).toBe(ROWS);
  });

  it('kcat failing mid-partition: exit 3, the batches before it committed with their offsets; the next run loads the rest once', () => {
    const target = freshTarget();
    const failed = drain(target, RECORDED, { FAKE_KCAT_FAIL_AFTER: '10' }, ['--batch-rows', '4']);
    expect(failed.status).toBe(3);
    expect(failed.stderr).toContain('holding-pivot-sync: kcat for partition 0 exited with 1: % ERROR: Local: Broker transport failure\n');
    const partial = state(target);
    expect(partial.rows).toBeGreaterThan(0);
    expect(partial.rows).toBeLessThan(ROWS);
    expect(partial.beyond).toBe(0);
    expect(drain(target).status).toBe(0);
    expect(state(target)).toEqual({ rows: ROWS, changes: ROWS, beyond: 0, offsets: ['0:18'], rejects: [] });
  });

  it('a message that is not a change event is rejected, kept with its offset, and the run exits 1', () => {
    const target = freshTarget();
    const lines = join(dir, 'with-reject.jsonl');
    const bad = JSON.stringify({ topic: TOPIC, partition: 0, offset: 18, tstype: 'create', ts: 1, broker: 1, key: null, payload: 'this is not json' });
    writeFileSync(lines, `${readFileSync(RECORDED, 'utf8')}${bad}\n`);
    const r = drain(target, lines);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('holding-pivot-sync: partition 0 offset 18: not JSON (unexpected "h") (topic bankserver1.bank.holding, partition 0, offset 18): ');
    expect(state(target)).toMatchObject({ rows: ROWS, offsets: ['0:19'], rejects: ['18 not JSON (unexpected "h") (topic bankserver1.bank.holding, partition 0, offset 18)'] });
  });

  it('warns once per cause, then says how many later messages it also applied to', () => {
    const target = freshTarget();
    const lines = join(dir, 'replica-identity-default.jsonl');
    const events = readFileSync(join(ROOT, 'fixtures', 'golden', 'input', 'replica-identity-default.jsonl'), 'utf8').split('\n').filter(Boolean);
    // three updates of one holding; the fixture gives them one LSN, each change needs its own
    const payloads = events.map((event, offset) => event.replace('"lsn":1,', `"lsn":${offset + 1},`));
    writeFileSync(lines, payloads.map((payload, offset) => `${JSON.stringify({ topic: TOPIC, partition: 0, offset, key: null, payload })}\n`).join(''));
    const r = spawnSync(process.execPath, args('--drain'), { cwd: ROOT, env: env(target, lines), encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr:
        'holding-pivot-sync: partition 0 offset 0: warning: updates of bank.holding carry no "before" image, so old_value is NULL; run ALTER TABLE bank.holding REPLICA IDENTITY FULL\n' +
        'holding-pivot-sync: warning: the warning at partition 0 offset 0 also applies to 2 later messages\n',
    });
    expect(state(target)).toMatchObject({ rows: 6, offsets: ['0:3'] });
  });

  it("loads another table's changes with holding-pivot's pivot options, into a table keyed by text", () => {
    const target = freshTarget();
    psql(target, ['-q', '-c', 'CREATE TABLE customer_audit (LIKE holding_pivot_audit INCLUDING ALL); ALTER TABLE customer_audit ALTER holding_id TYPE text, ALTER user_id TYPE text']);
    const lines = join(dir, 'customer.jsonl');
    const topic = 'shop1.public.customer';
    const customer = (email: string, plan: string) => ({ customer_id: 'c-7', account_id: 'acct-42', email, plan, created_at: 1795511400000000 });
    const source = (lsn: number, txId: number) => ({ db: 'shop', schema: 'public', table: 'customer', lsn, txId, ts_us: lsn * 1_000_000 + 1 });
    const events = [
      { op: 'c', before: null, after: customer('a@x.org', 'free'), source: source(1795511401, 501), ts_ms: 1795511500000 },
      { op: 'u', before: customer('a@x.org', 'free'), after: customer('b@x.org', 'free'), source: source(1795511402, 502), ts_ms: 1795511600000 },
      { op: 'd', before: customer('b@x.org', 'free'), after: null, source: source(1795511403, 503), ts_ms: 1795511700000 },
    ];
    writeFileSync(lines, events.map((e, offset) => `${JSON.stringify({ topic, partition: 0, offset, key: null, payload: JSON.stringify(e) })}\n`).join(''));
    const pivot = ['--fields', 'email,plan', '--id-field', 'customer_id', '--user-field', 'account_id', '--created-field', '', '--changed-only', '--event-time', 'processed'];
    const r = spawnSync(process.execPath, [SYNC, '-b', '127.0.0.1:1', '-t', topic, '--kcat', FAKE_KCAT, '--drain', '--table', 'customer_audit', ...pivot], { cwd: ROOT, env: env(target, lines), encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const columns = 'holding_id, user_id, change_field, old_value, new_value, datetime_created, datetime_updated, datetime_deleted, op, source_table, lsn, tx_id, committed_at, kafka_topic, kafka_offset';
    expect(query(target, `SELECT ${columns} FROM customer_audit ORDER BY kafka_offset, change_field`)).toEqual([
      'c-7|acct-42|email||a@x.org||||c|public.customer|1795511401|501|2026-11-24 09:10:01.000001|shop1.public.customer|0',
      'c-7|acct-42|plan||free||||c|public.customer|1795511401|501|2026-11-24 09:10:01.000001|shop1.public.customer|0',
      'c-7|acct-42|email|a@x.org|b@x.org||2026-11-24 09:13:20||u|public.customer|1795511402|502|2026-11-24 09:10:02.000001|shop1.public.customer|1',
      'c-7|acct-42|email|b@x.org||||2026-11-24 09:15:00|d|public.customer|1795511403|503|2026-11-24 09:10:03.000001|shop1.public.customer|2',
      'c-7|acct-42|plan|free||||2026-11-24 09:15:00|d|public.customer|1795511403|503|2026-11-24 09:10:03.000001|shop1.public.customer|2',
    ]);
  });

  it('a position the partition no longer holds stops it with exit 3, loading nothing', () => {
    const target = freshTarget();
    psql(target, ['-q', '-c', `INSERT INTO holding_pivot_sync_offsets VALUES ('holding_pivot_audit', '${TOPIC}', 0, 50, now())`]);
    const r = drain(target);
    expect(r).toEqual({
      status: 3,
      stderr:
        'holding-pivot-sync: kcat for partition 0 exited with 1: % ERROR: Topic bankserver1.bank.holding [0] error: Broker: Offset out of range\n' +
        'holding-pivot-sync: stopped by an error: 0 batches, 0 messages, 0 rows, 0 rejected; lag unknown\n',
    });
    expect(state(target).rows).toBe(0);
  });

  it('without its tables it says which file creates them, exit 3', () => {
    const target = { database, schema: 'public' };
    expect(drain(target)).toEqual({ status: 3, stderr: 'holding-pivot-sync: table holding_pivot_audit not found (create it with sql/holding_pivot_audit.sql)\n' });
  });

  it('running until stopped: SIGTERM after the topic is loaded exits 143', async () => {
    const target = freshTarget();
    const child = spawn(process.execPath, args('--batch-ms', '50'), { cwd: ROOT, env: env(target, RECORDED), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (query(target, 'SELECT next_offset FROM holding_pivot_sync_offsets')[0] !== '18') await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toBe('');
    expect(state(target)).toEqual({ rows: ROWS, changes: ROWS, beyond: 0, offsets: ['0:18'], rejects: [] });
  });
});
