import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batch, describeRanges, lag, OffsetOrderError } from '../../src/sync/batch.js';

const row = (id: number) => [String(id), '1', 'holding_stock', null, 'VFIAX'];

describe('Batch', () => {
  it('covers, per partition, the offsets from the first message to one past the last, and expects what was read before', () => {
    const read = new Map<number, number | null>([
      [0, 120],
      [2, null],
    ]);
    const batch = new Batch(read, 100);
    batch.advance(0, 120);
    batch.addRows([row(1), row(1)]);
    batch.advance(2, 7);
    batch.counts.tombstones++;
    batch.advance(0, 125); // compaction and transaction markers leave gaps
    batch.addReject({ partition: 0, offset: 125, reason: 'not JSON', message: Buffer.from('x') });
    expect(Object.fromEntries(batch.ranges)).toEqual({ 0: { expected: 120, first: 120, next: 126 }, 2: { expected: null, first: 7, next: 8 } });
    expect(Object.fromEntries(read)).toEqual({ 0: 126, 2: 8 });
    expect(batch.counts).toEqual({ messages: 3, events: 1, tombstones: 1, skipped: 0, rejected: 1 });
    expect(describeRanges(batch.ranges)).toBe('0:120-125 2:7');
  });

  it('is full once its rows and rejects reach the bound', () => {
    const batch = new Batch(new Map([[0, null]]), 3);
    batch.advance(0, 0);
    batch.addRows([row(1), row(1)]);
    expect(batch.full).toBe(false);
    batch.advance(0, 1);
    batch.addReject({ partition: 0, offset: 1, reason: 'r', message: Buffer.alloc(0) });
    expect(batch.full).toBe(true);
  });

  it('refuses an offset before one already read, and a partition it does not load', () => {
    const read = new Map<number, number | null>([[0, 10]]);
    const batch = new Batch(read, 10);
    expect(() => batch.advance(0, 9)).toThrow(new OffsetOrderError('partition 0: offset 9 arrived after offset 9'));
    batch.advance(0, 10);
    expect(() => new Batch(read, 10).advance(0, 10)).toThrow(new OffsetOrderError('partition 0: offset 10 arrived after offset 10'));
    expect(() => batch.advance(1, 0)).toThrow(new OffsetOrderError('a message of partition 1, which this sync does not load'));
  });

  it('successive batches chain: each expects what the one before commits, and together they cover every message once', () => {
    const messages = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean()), { maxLength: 200 });
    fc.assert(
      fc.property(messages, fc.integer({ min: 1, max: 20 }), (stream, maxRows) => {
        const read = new Map<number, number | null>([0, 1, 2, 3].map((p) => [p, p === 0 ? 5 : null]));
        const committed = new Map(read);
        const offsets = new Map([0, 1, 2, 3].map((p) => [p, p === 0 ? 5 : 0]));
        const taken = new Map<number, number[]>();
        let batch = new Batch(read, maxRows);
        const commit = () => {
          for (const [p, range] of batch.ranges) {
            expect(range.expected).toBe(committed.get(p));
            committed.set(p, range.next);
          }
          batch = new Batch(read, maxRows);
        };
        for (const [partition, gap, hasRows] of stream) {
          const offset = offsets.get(partition)! + gap - 1;
          offsets.set(partition, offset + 1);
          batch.advance(partition, offset);
          if (hasRows) batch.addRows([row(offset)]);
          taken.set(partition, [...(taken.get(partition) ?? []), offset]);
          if (batch.full) commit();
        }
        commit();
        for (const [p, list] of taken) expect(committed.get(p)).toBe(list.at(-1)! + 1);
        expect(Object.fromEntries(read)).toEqual(Object.fromEntries(committed));
      }),
    );
  });
});

describe('lag', () => {
  it('sums, over the partitions, the messages between the next offset to load and the end', () => {
    const ends = new Map([
      [0, 130],
      [1, 40],
      [2, 0],
    ]);
    expect(lag(new Map<number, number | null>([[0, 120], [1, 40], [2, null]]), ends)).toBe(10);
    expect(lag(new Map<number, number | null>([[1, null]]), ends)).toBe(40);
    expect(lag(new Map<number, number | null>([[3, 0]]), ends)).toBeNull();
  });
});
