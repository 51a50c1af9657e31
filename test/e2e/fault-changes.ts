/**
 * The fault test's changes to bank.holding, generated from a seed, and its own model of the table:
 * from the statements it runs it knows, independently of holding-pivot, which pivot rows the
 * audit table must end up holding.
 */

/** A row of bank.holding as the model keeps it; datetime_created as PostgreSQL prints it (µs). */
interface Holding {
  id: number;
  user: number;
  stock: string | null;
  quantity: number;
  created: string;
}

/**
 * The columns of an audit row the model can know (not the processing or commit times):
 * holding_id, user_id, change_field, old_value, new_value, op, datetime_created.
 */
export type ExpectedRow = [number, number, string, string | null, string | null, string, string | null];

/** One unit of work: statements run in one transaction, or rolled back. */
export interface Step {
  readonly sql: readonly string[];
  readonly rollback: boolean;
}

// holding_stock is varchar(8): a comma and a quote, the empty string and NULL are values too.
const STOCKS = ['VFIAX', 'SP500', 'VTSAX', 'VTI', 'QQQ', 'AAPL', 'A,"B', '', null] as const;
const FIRST_ID = 100_000;

const literal = (value: string | null): string => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);

/** Generates steps and applies each to the model as the database will apply it once committed. */
export class ChangeModel {
  private readonly rows = new Map<number, Holding>();
  private nextId = FIRST_ID;
  private readonly pick: <T>(items: readonly T[]) => T;
  readonly expected: ExpectedRow[] = [];
  /** Messages the topic must hold at least: one per event, plus a tombstone per delete. */
  messages = 0;

  constructor(private readonly rand: () => number) {
    this.pick = (items) => items[Math.floor(rand() * items.length)]!;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }

  private someIds(max: number): number[] {
    const ids = [...this.rows.keys()];
    const chosen = new Set<number>();
    const n = Math.min(ids.length, this.int(1, max));
    while (chosen.size < n) chosen.add(this.pick(ids));
    return [...chosen].sort((a, b) => a - b);
  }

  private created(): string {
    const micros = this.int(0, 86_400_000_000 - 1);
    const d = new Date(Date.UTC(2026, 0, this.int(1, 28)) + Math.floor(micros / 1000));
    return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private image(h: Holding, field: 'stock' | 'quantity'): string | null {
    return field === 'stock' ? h.stock : String(h.quantity);
  }

  private event(op: 'c' | 'u' | 'd', before: Holding | null, after: Holding | null): void {
    const key = (after ?? before)!;
    for (const [name, field] of [['holding_stock', 'stock'], ['holding_quantity', 'quantity']] as const) {
      this.expected.push([
        key.id,
        key.user,
        name,
        before === null ? null : this.image(before, field),
        after === null ? null : this.image(after, field),
        op,
        op === 'c' ? key.created : null,
      ]);
    }
    this.messages += op === 'd' ? 2 : 1;
  }

  /** One statement and its effect on a scratch copy of the model; null when the table lacks rows for it. */
  private statement(work: Map<number, Holding>, events: (() => void)[]): string | null {
    const kind = this.rows.size < 20 ? 0 : this.int(0, 9);
    if (kind <= 2) {
      const values: string[] = [];
      for (let i = this.int(1, 4); i > 0; i--) {
        const h: Holding = { id: this.nextId++, user: this.int(1, 12), stock: this.pick(STOCKS), quantity: this.int(0, 500), created: this.created() };
        work.set(h.id, h);
        events.push(() => this.event('c', null, h));
        values.push(`(${h.id}, ${h.user}, ${literal(h.stock)}, ${h.quantity}, '${h.created}', '${h.created}')`);
      }
      return `INSERT INTO bank.holding VALUES ${values.join(', ')}`;
    }
    const ids = this.someIds(kind === 9 ? 1 : 4).filter((id) => work.has(id));
    if (ids.length === 0) return null;
    const list = ids.join(', ');
    const update = (change: (h: Holding) => Holding): void => {
      for (const id of ids) {
        const before = work.get(id)!;
        const after = change(before);
        work.set(id, after);
        events.push(() => this.event('u', before, after));
      }
    };
    switch (kind) {
      case 3:
      case 4: {
        const delta = this.int(-5, 20);
        update((h) => ({ ...h, quantity: h.quantity + delta }));
        return `UPDATE bank.holding SET holding_quantity = holding_quantity + ${delta} WHERE holding_id IN (${list})`;
      }
      case 5:
      case 6: {
        const stock = this.pick(STOCKS);
        update((h) => ({ ...h, stock }));
        return `UPDATE bank.holding SET holding_stock = ${literal(stock)} WHERE holding_id IN (${list})`;
      }
      case 7: {
        const stock = this.pick(STOCKS);
        const quantity = this.int(0, 500);
        update((h) => ({ ...h, stock, quantity }));
        return `UPDATE bank.holding SET holding_stock = ${literal(stock)}, holding_quantity = ${quantity} WHERE holding_id IN (${list})`;
      }
      case 8:
        for (const id of ids) {
          const before = work.get(id)!;
          work.delete(id);
          events.push(() => this.event('d', before, null));
        }
        return `DELETE FROM bank.holding WHERE holding_id IN (${list})`;
      default: {
        // A primary-key change: Debezium sends a delete of the old key (and its tombstone), then a create.
        const before = work.get(ids[0]!)!;
        const after = { ...before, id: this.nextId++ };
        work.delete(before.id);
        work.set(after.id, after);
        events.push(() => this.event('d', before, null), () => this.event('c', null, after));
        return `UPDATE bank.holding SET holding_id = ${after.id} WHERE holding_id = ${before.id}`;
      }
    }
  }

  /** The next step: mostly one statement, sometimes a transaction of several, now and then rolled back. */
  next(): Step {
    const work = new Map(this.rows);
    const events: (() => void)[] = [];
    const count = this.rand() < 0.2 ? this.int(2, 4) : 1;
    const sql: string[] = [];
    while (sql.length < count) {
      const statement = this.statement(work, events);
      if (statement !== null) sql.push(statement);
    }
    // A rolled-back step changes nothing; the ids its inserts took are simply not used again.
    const rollback = count > 1 && this.rand() < 0.15;
    if (!rollback) {
      this.rows.clear();
      for (const [id, h] of work) this.rows.set(id, h);
      for (const emit of events) emit();
    }
    return { sql, rollback };
  }
}

/** The answers sql/questions.sql must give for a user over a period covering every change. */
export function expectedAnswers(rows: readonly ExpectedRow[], user: number): string[] {
  const changed = (field: string) =>
    rows.filter(([, u, f, oldValue, newValue, op]) => u === user && f === field && (op === 'u' || op === 'd') && oldValue !== newValue).length;
  const sold = new Map<string, number>();
  for (const [, , f, oldValue, newValue, op] of rows) {
    if (f === 'holding_stock' && oldValue !== null && oldValue !== newValue && (op === 'u' || op === 'd')) {
      sold.set(oldValue, (sold.get(oldValue) ?? 0) + 1);
    }
  }
  const most = Math.max(...sold.values());
  const winners = [...sold].filter(([, n]) => n === most).map(([stock]) => stock).sort();
  return [String(changed('holding_stock')), String(changed('holding_quantity')), ...winners.map((s) => `${s}|${most}`)];
}
