import { describe, expect, it } from 'vitest';
import type { PivotOptions } from '../../src/core/options.js';
import { decoder, INSERTED, rowsOf } from '../support/pivot-helpers.js';

// 2021-06-26T21:52:00.463251Z committed, processed 0.2 s later.
const COMMIT_US = 1_624_744_320_463_251;
const COMMIT_MS = 1_624_744_320_463;
const PROCESSED_MS = 1_624_744_320_663;

const source = (extra: object) => ({ db: 'data_engineer', schema: 'bank', table: 'holding', txId: 753, lsn: 26_862_056, ...extra });
const image = (quantity: number) => ({ holding_id: 1, user_id: 2, holding_stock: 'VFIAX', holding_quantity: quantity, datetime_created: 1 });
const event = (op: string, src: object | undefined) =>
  JSON.stringify({
    op,
    before: op === 'c' || op === 'r' ? null : image(10),
    after: op === 'd' ? null : image(100),
    ...(src === undefined ? {} : { source: src }),
    ts_ms: PROCESSED_MS,
  });

/** datetime_updated (u) or datetime_deleted (d) of the event's rows, and the warnings. */
function stamped(line: string, options: Partial<PivotOptions> = {}): { time: (string | null)[]; warnings: string[] } {
  const outcome = decoder({ fields: ['holding_quantity'], ...options }).decode(line, INSERTED);
  if (outcome.kind !== 'rows') throw new Error(String(rowsOf(outcome)));
  const column = JSON.parse(line).op === 'u' ? 6 : 7;
  return { time: outcome.rows.map((row) => row[column] ?? null), warnings: outcome.warnings.map((w) => w.code) };
}

describe.each(['u', 'd'])('the time of op %s', (op) => {
  it('is the commit time to the microsecond, from source.ts_us', () => {
    expect(stamped(event(op, source({ ts_ms: COMMIT_MS, ts_us: COMMIT_US })))).toEqual({ time: ['2021-06-26T21:52:00.463251Z'], warnings: [] });
  });

  it('is the commit time to the millisecond, from source.ts_ms, before Debezium 2.6', () => {
    expect(stamped(event(op, source({ ts_ms: COMMIT_MS })))).toEqual({ time: ['2021-06-26T21:52:00.463Z'], warnings: [] });
  });

  it('is source.ts_ms with --timestamps epoch, so that the column keeps one unit', () => {
    expect(stamped(event(op, source({ ts_ms: COMMIT_MS, ts_us: COMMIT_US })), { timestamps: 'epoch' }).time).toEqual([String(COMMIT_MS)]);
  });

  it('is when the connector processed the change with --event-time processed (the tutorial’s)', () => {
    const line = event(op, source({ ts_ms: COMMIT_MS, ts_us: COMMIT_US }));
    expect(stamped(line, { eventTime: 'processed' })).toEqual({ time: ['2021-06-26T21:52:00.663Z'], warnings: [] });
    expect(stamped(line, { eventTime: 'processed', timestamps: 'epoch' }).time).toEqual([String(PROCESSED_MS)]);
  });

  it.each([
    ['without a source block', undefined],
    ['whose source block has no time', source({})],
  ])('falls back to the processing time with a warning for an event %s', (_, src) => {
    expect(stamped(event(op, src))).toEqual({ time: ['2021-06-26T21:52:00.663Z'], warnings: ['commit-time-missing'] });
    expect(stamped(event(op, src), { eventTime: 'processed' })).toEqual({ time: ['2021-06-26T21:52:00.663Z'], warnings: [] });
  });
});

describe('committed_at', () => {
  const committedAt = (line: string) => {
    const outcome = decoder({ snapshot: true, fields: ['holding_quantity'], with: ['committed_at'] }).decode(line, INSERTED);
    return outcome.kind === 'rows' ? outcome.rows.map((row) => row[10]) : rowsOf(outcome);
  };

  it('is the commit time of a create, an update and a delete, whatever --event-time says', () => {
    for (const op of ['c', 'u', 'd']) expect(committedAt(event(op, source({ ts_ms: COMMIT_MS, ts_us: COMMIT_US })))).toEqual(['2021-06-26T21:52:00.463251Z']);
  });

  it('is NULL for a snapshot read, whose source time is when the snapshot read the row', () => {
    expect(committedAt(event('r', source({ ts_ms: COMMIT_MS, ts_us: COMMIT_US })))).toEqual([null]);
  });

  it('is NULL for an event without a commit time', () => {
    expect(committedAt(event('c', undefined))).toEqual([null]);
  });
});

describe('source times that are not numbers', () => {
  it('reject the event', () => {
    expect(rowsOf(decoder().decode(event('u', source({ ts_us: '1624744320463251' })), INSERTED))).toBe('rejected: "source.ts_us": expected a number');
    expect(rowsOf(decoder().decode(event('u', 'bankserver1' as unknown as object), INSERTED))).toBe('rejected: "source": expected an object');
  });
});
