/**
 * Deterministic bank.holding change events for the benchmark, written with the test suite's event
 * builder (test/support/debezium-events.ts), so the benchmark reads exactly what the tests read.
 *
 *   tsx bench/generate.ts --count 200000 --envelope --out bench/.data/x.jsonl
 *
 * Writes three files next to --out:
 *   x.jsonl          the events, one per line, an empty line (kcat's tombstone) after each delete
 *   x.notomb.jsonl   the same events without the tombstone lines (for stream.py, which crashes on them)
 *   x.meta.json      what was written: events by op, tombstones, bytes, and the rows to expect
 * Each is written to a temporary name and renamed, so an interrupted run never leaves a half file.
 */
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prng } from '../test/support/prng.js';
import { holding, holdingEventLine, type EventOp, type Holding, type HoldingChange } from '../test/support/debezium-events.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '200000' }, envelope: { type: 'boolean', default: false }, out: { type: 'string' }, seed: { type: 'string', default: '20210626' } },
});
const args = { count: Number(values.count), envelope: values.envelope, out: values.out ?? '', seed: Number(values.seed) };
if (!Number.isSafeInteger(args.count) || args.count < 1) throw new Error('--count must be a positive integer');
if (args.out === '') throw new Error('--out is required');

const TICKERS = [
  'VFIAX', 'SP500', 'VTSAX', 'VTI', 'VOO', 'QQQ', 'SPY', 'IVV', 'VXUS', 'BND', 'AGG', 'VGT', 'SCHD',
  'AAPL', 'MSFT', 'AMZN', 'GOOGL', 'META', 'NVDA', 'TSLA', 'BRK.B', 'JPM', 'V', 'JNJ', 'XOM', 'PG',
  'FXAIX', 'SWPPX', 'VBTLX', 'VTIAX',
];

/** Rare values that exercise the CSV quoting and NULL paths: SQL NULL, '' and text needing quotes. */
const ODD_STOCKS: (string | null)[] = [null, '', 'ACME, Inc.', 'say "cheese"'];

export interface Meta {
  events: number;
  ops: Record<EventOp, number>;
  tombstones: number;
  bytes: number;
  bytesWithoutTombstones: number;
  /** Rows holding-pivot writes by default (c, u, d: one per tracked field; r skipped). */
  expectedRows: number;
  envelope: boolean;
  seed: number;
}

function main(): void {
  const random = prng(args.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const stock = (): string | null => (random() < 0.004 ? pick(ODD_STOCKS) : pick(TICKERS));
  const user = (): number | null => (random() < 0.005 ? null : int(1, 5000));

  let nowUs = Date.UTC(2021, 5, 26, 21, 50, 0) * 1000 + 1;
  let txId = 750;
  let lsn = 26_861_120;
  let nextId = 1000;
  // Live rows, with an index so a random one can be picked and removed in O(1).
  const live: Holding[] = [];
  const ops: Record<EventOp, number> = { c: 0, u: 0, d: 0, r: 0 };

  const tmp = (path: string): string => `${path}.tmp-${process.pid}`;
  const notombPath = args.out.replace(/\.jsonl$/, '') + '.notomb.jsonl';
  const metaPath = args.out.replace(/\.jsonl$/, '') + '.meta.json';
  const out = openSync(tmp(args.out), 'w');
  const outNoTomb = openSync(tmp(notombPath), 'w');
  let bytes = 0;
  let bytesNoTomb = 0;
  let tombstones = 0;
  let buffer = '';
  let bufferNoTomb = '';

  const flush = (): void => {
    writeSync(out, buffer);
    writeSync(outNoTomb, bufferNoTomb);
    buffer = '';
    bufferNoTomb = '';
  };
  const emit = (change: HoldingChange): void => {
    const line = `${holdingEventLine(change, args.envelope)}\n`;
    buffer += line;
    bufferNoTomb += line;
    bytes += Buffer.byteLength(line);
    bytesNoTomb += Buffer.byteLength(line);
    ops[change.op]++;
    if (change.op === 'd') {
      buffer += '\n';
      bytes += 1;
      tombstones++;
    }
    if (buffer.length > 1 << 20) flush();
  };

  // A snapshot of the rows already there when the connector started: 2% of the events, op "r".
  const snapshotRows = Math.max(1, Math.min(args.count, Math.round(args.count * 0.02)));
  for (let i = 0; i < snapshotRows; i++) {
    const row = holding(nextId++, user(), stock(), int(1, 10_000), nowUs - int(1, 400) * 86_400_000_000);
    live.push(row);
    const snapshot = i === 0 ? 'first' : i === snapshotRows - 1 ? 'last' : 'true';
    emit({ op: 'r', before: null, after: row, tsMs: Math.floor(nowUs / 1000) + i, txId, lsn, snapshot });
  }

  for (let i = snapshotRows; i < args.count; i++) {
    nowUs += int(1, 2_000_000);
    txId += int(1, 3);
    lsn += int(48, 400);
    const tsMs = Math.floor(nowUs / 1000) + int(5, 900);
    const roll = random();
    const op: EventOp = live.length === 0 || roll < 0.4 ? 'c' : roll < 0.85 ? 'u' : 'd';
    if (op === 'c') {
      const row = holding(nextId++, user(), stock(), int(1, 10_000), nowUs);
      live.push(row);
      emit({ op, before: null, after: row, tsMs, txId, lsn });
    } else {
      const index = Math.floor(random() * live.length);
      const before = live[index] as Holding;
      if (op === 'u') {
        const what = random();
        const after: Holding = {
          ...before,
          holding_quantity: what < 0.7 ? int(1, 10_000) : before.holding_quantity,
          holding_stock: what >= 0.6 ? stock() : before.holding_stock,
          datetime_updated: nowUs,
        };
        live[index] = after;
        emit({ op, before, after, tsMs, txId, lsn });
      } else {
        live[index] = live[live.length - 1] as Holding;
        live.pop();
        emit({ op, before, after: null, tsMs, txId, lsn });
      }
    }
  }
  flush();
  closeSync(out);
  closeSync(outNoTomb);
  const meta: Meta = {
    events: args.count,
    ops,
    tombstones,
    bytes,
    bytesWithoutTombstones: bytesNoTomb,
    expectedRows: 2 * (ops.c + ops.u + ops.d),
    envelope: args.envelope,
    seed: args.seed,
  };
  renameSync(tmp(args.out), args.out);
  renameSync(tmp(notombPath), notombPath);
  writeFileSync(tmp(metaPath), `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(tmp(metaPath), metaPath);
}

main();
