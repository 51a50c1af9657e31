/**
 * holding-pivot-sync's store against a real PostgreSQL: a batch is one transaction with its
 * position, a process killed inside it leaves nothing, and two syncs on one partition are stopped.
 * Gated like postgres.test.ts: skipped without a server, failing without one under CI=true.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, FenceError, Store } from '../../src/sync/store.js';
import { createScratchDatabase, dropScratchDatabase, probeServer, psql, query, ROOT } from './psql.js';
import { createsBatch, databaseUrl, TOPIC } from './sync-batches.js';

const server = probeServer();
const skip = !server.ok && !/^(1|true)$/i.test(process.env.CI ?? '');

describe.skipIf(skip)('holding-pivot-sync store (PostgreSQL)', () => {
  let database = '';
  let url = '';
  const open = (loadDelayMs = 0) => Store.open({ db: url, table: 'holding_pivot_audit', topic: TOPIC, loadDelayMs });
  const tables = () => ({
    audit: query({ database }, 'SELECT count(*) FROM holding_pivot_audit')[0],
    rejects: query({ database }, "SELECT kafka_offset || ' ' || reason || ' ' || encode(message, 'hex') FROM holding_pivot_sync_rejects ORDER BY 1"),
    offsets: query({ database }, "SELECT target_table || ' ' || topic || ' ' || kafka_partition || ' ' || next_offset FROM holding_pivot_sync_offsets"),
  });

  beforeAll(() => {
    database = createScratchDatabase();
    url = databaseUrl(database);
    psql({ database }, ['-q', '-f', join(ROOT, 'sql', 'holding_pivot_audit.sql'), '-f', join(ROOT, 'sql', 'holding_pivot_sync.sql')]);
  });
  afterAll(() => {
    if (database !== '') dropScratchDatabase(database);
  });

  it('refuses to start without its tables, naming the file that creates them', async () => {
    await expect(Store.open({ db: url, table: 'no_such_table', topic: TOPIC, loadDelayMs: 0 })).rejects.toThrow(
      new DatabaseError('table no_such_table not found (create it with sql/holding_pivot_audit.sql)'),
    );
  });

  it('a process killed while its load transaction is open leaves nothing behind', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'integration', 'sync-load-child.ts'), url], {
      cwd: ROOT,
      env: { ...process.env, PGAPPNAME: `killed-${database}` },
      stdio: 'inherit',
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const open = () => query({ database }, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'killed-${database}' AND state = 'idle in transaction'`)[0];
    try {
      for (let waited = 0; open() !== '1'; waited += 50) {
        if (waited > 20_000) throw new Error('the child never held a load transaction open');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      // The rows and the reject are inserted by now; only the position and COMMIT are to come.
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    while (query({ database }, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'killed-${database}'`)[0] !== '0') {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(tables()).toEqual({ audit: '0', rejects: [], offsets: [] });
  });

  it('commits the rows, the rejects and the position together; a change loaded again is left alone', async () => {
    const store = await open();
    const read = new Map(await store.positions([0]));
    expect(read).toEqual(new Map([[0, null]]));
    await store.load(createsBatch(read, 0, 3));
    // What a Kafka Connect crash does: the same changes again, at new offsets.
    await store.load(createsBatch(read, 4, 3, 0));
    await store.close();
    expect(tables()).toEqual({
      audit: '6',
      rejects: ['3 not JSON 7bff0a', '7 not JSON 7bff0a'],
      offsets: [`holding_pivot_audit ${TOPIC} 0 8`],
    });
  });

  it('a second sync on the same partition is stopped at its first load, and loads nothing', async () => {
    const first = await open();
    const second = await open();
    const readFirst = new Map(await first.positions([0]));
    const readSecond = new Map(await second.positions([0]));
    await first.load(createsBatch(readFirst, 8, 2));
    await expect(second.load(createsBatch(readSecond, 8, 2))).rejects.toThrow(
      new FenceError(`partition 0: holding_pivot_sync_offsets holds next offset 11 for holding_pivot_audit, this sync expected 8: another sync is loading this partition`),
    );
    await Promise.all([first.close(), second.close()]);
    expect(tables().offsets).toEqual([`holding_pivot_audit ${TOPIC} 0 11`]);
    expect(tables().audit).toBe('10');
  });
});
