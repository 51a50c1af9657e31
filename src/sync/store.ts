import pg from 'pg';
import type { Batch } from './batch.js';
import { AUDIT_COLUMNS } from './decode.js';

const OFFSETS = 'holding_pivot_sync_offsets';
const REJECTS = 'holding_pivot_sync_rejects';

/** PostgreSQL refused or went away; nothing of the batch in flight was committed. */
export class DatabaseError extends Error {}

/** Another sync committed a position this one did not expect: two syncs load one partition. */
export class FenceError extends DatabaseError {}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The target database: the audit table, the rejects and the positions, written together in one
 * transaction per batch. node-postgres rather than psql in a pipe: when a writer dies, psql reads
 * EOF and commits what it has; when a libpq connection drops mid-transaction, PostgreSQL rolls
 * the transaction back.
 */
export class Store {
  private broken: Error | null = null;

  private constructor(
    private readonly client: pg.Client,
    /** The target as PostgreSQL spells it (regclass text): the key in the bookkeeping tables. */
    readonly table: string,
    private readonly topic: string,
    private readonly insertRows: string,
    private readonly loadDelayMs: number,
  ) {
    client.on('error', (error) => (this.broken = error));
  }

  /** Connects and checks the tables; the insert statement is built from the target's column types. */
  static async open(settings: { db: string | null; table: string; topic: string; loadDelayMs: number }): Promise<Store> {
    const client = new pg.Client({
      ...(settings.db === null ? {} : { connectionString: settings.db }),
      // PGAPPNAME, when set, names the connection instead (one name per instance, in pg_stat_activity).
      fallback_application_name: 'holding-pivot-sync',
    });
    try {
      await client.connect();
    } catch (error) {
      throw new DatabaseError(`cannot connect to PostgreSQL: ${describe(error)}`);
    }
    try {
      const { rows } = await client.query<{ table: string; column: string; type: string }>(
        `SELECT c.oid::regclass::text AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE c.oid = to_regclass($1)`,
        [settings.table],
      );
      const table = rows[0]?.table;
      if (table === undefined) throw new DatabaseError(`table ${settings.table} not found (create it with sql/holding_pivot_audit.sql)`);
      const types = new Map(rows.map((r) => [r.column, r.type]));
      const missing = AUDIT_COLUMNS.filter((c) => !types.has(c));
      if (missing.length > 0) throw new DatabaseError(`table ${table} lacks the column(s) ${missing.join(', ')} (see sql/holding_pivot_audit.sql)`);
      for (const bookkeeping of [OFFSETS, REJECTS]) {
        const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [bookkeeping]);
        if (found.rows[0]?.ok !== true) throw new DatabaseError(`table ${bookkeeping} not found (create it with sql/holding_pivot_sync.sql)`);
      }
      const arrays = AUDIT_COLUMNS.map((c, i) => `$${i + 1}::${types.get(c)}[]`).join(', ');
      const insertRows =
        `INSERT INTO ${table} (${AUDIT_COLUMNS.map(quote).join(', ')}) SELECT * FROM unnest(${arrays}) ` +
        'ON CONFLICT (event_id, change_field) DO NOTHING';
      return new Store(client, table, settings.topic, insertRows, settings.loadDelayMs);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error instanceof DatabaseError ? error : new DatabaseError(describe(error));
    }
  }

  /** The next offset to load of each partition; null for a partition never loaded into this table. */
  async positions(partitions: readonly number[]): Promise<Map<number, number | null>> {
    const { rows } = await this.query<{ kafka_partition: number; next_offset: string }>(
      `SELECT kafka_partition, next_offset FROM ${OFFSETS} WHERE target_table = $1 AND topic = $2`,
      [this.table, this.topic],
    );
    const stored = new Map(rows.map((r) => [r.kafka_partition, Number(r.next_offset)]));
    return new Map(partitions.map((p) => [p, stored.get(p) ?? null]));
  }

  /**
   * Loads a batch in one transaction: its rows (a change already loaded is left alone), its
   * rejects, and each partition's new next offset, written only where the table still holds the
   * offset this sync expects. Throws FenceError, rolled back, when another sync moved one.
   */
  async load(batch: Batch): Promise<void> {
    await this.query('BEGIN');
    try {
      if (batch.rows.length > 0) {
        const columns = AUDIT_COLUMNS.map((_, i) => batch.rows.map((row) => row[i] ?? null));
        await this.query(this.insertRows, columns);
      }
      if (batch.rejects.length > 0) {
        await this.query(
          `INSERT INTO ${REJECTS} SELECT $1, $2, p, o, r, m, now() AT TIME ZONE 'UTC'
             FROM unnest($3::integer[], $4::bigint[], $5::text[], $6::bytea[]) AS u(p, o, r, m)
           ON CONFLICT DO NOTHING`,
          [
            this.table,
            this.topic,
            batch.rejects.map((r) => r.partition),
            batch.rejects.map((r) => r.offset),
            batch.rejects.map((r) => r.reason),
            batch.rejects.map((r) => r.message),
          ],
        );
      }
      // Only the fault-injection test sets it: a window in which the transaction is open.
      if (this.loadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.loadDelayMs));
      for (const [partition, range] of batch.ranges) await this.advance(partition, range.expected, range.next);
      await this.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async advance(partition: number, expected: number | null, next: number): Promise<void> {
    const key = [this.table, this.topic, partition];
    const result =
      expected === null
        ? await this.query(
            `INSERT INTO ${OFFSETS} VALUES ($1, $2, $3, $4, now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING`,
            [...key, next],
          )
        : await this.query(
            `UPDATE ${OFFSETS} SET next_offset = $5, updated_at = now() AT TIME ZONE 'UTC'
              WHERE target_table = $1 AND topic = $2 AND kafka_partition = $3 AND next_offset = $4`,
            [...key, expected, next],
          );
    if (result.rowCount !== 1) {
      const found = await this.positions([partition]);
      throw new FenceError(
        `partition ${partition}: ${OFFSETS} holds next offset ${String(found.get(partition))} for ${this.table}, ` +
          `this sync expected ${String(expected)}: another sync is loading this partition`,
      );
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.broken !== null) throw new DatabaseError(`PostgreSQL connection lost: ${this.broken.message}`);
    try {
      return await this.client.query<R>(text, values);
    } catch (error) {
      if (error instanceof DatabaseError) throw error;
      throw new DatabaseError(describe(error));
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
