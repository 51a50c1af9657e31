import type { Cell } from '../core/columns.js';

/** A rejected message, kept whole for the dead-letter table. */
export interface Reject {
  readonly partition: number;
  readonly offset: number;
  readonly reason: string;
  readonly message: Buffer;
}

/** The offsets of one partition a batch covers. */
export interface Range {
  /** What holding_pivot_sync_offsets must still say when the batch commits (null: no row yet). */
  readonly expected: number | null;
  readonly first: number;
  /** The next offset to load once the batch is committed: one past its last message. */
  next: number;
}

/** What the messages of a batch were. */
export interface BatchCounts {
  messages: number;
  events: number;
  tombstones: number;
  skipped: number;
  rejected: number;
}

/** The messages were not read in order: kcat or the broker broke a promise this sync relies on. */
export class OffsetOrderError extends Error {}

/**
 * The messages read since the last load, bounded by rows: their rows, their rejects, and for each
 * partition the range of offsets they cover. `read` is shared by successive batches and holds,
 * per partition, the offset after the last message added to any batch (or what PostgreSQL said
 * at the start), so a batch knows what its predecessor will have committed.
 */
export class Batch {
  readonly rows: (readonly Cell[])[] = [];
  readonly rejects: Reject[] = [];
  readonly ranges = new Map<number, Range>();
  readonly counts: BatchCounts = { messages: 0, events: 0, tombstones: 0, skipped: 0, rejected: 0 };

  constructor(
    private readonly read: Map<number, number | null>,
    private readonly maxRows: number,
  ) {}

  /** Takes one message's place in its partition; throws OffsetOrderError if it is not after the last. */
  advance(partition: number, offset: number): void {
    if (!this.read.has(partition)) throw new OffsetOrderError(`a message of partition ${partition}, which this sync does not load`);
    const before = this.read.get(partition) ?? null;
    if (before !== null && offset < before) {
      throw new OffsetOrderError(`partition ${partition}: offset ${offset} arrived after offset ${before - 1}`);
    }
    const range = this.ranges.get(partition);
    if (range === undefined) this.ranges.set(partition, { expected: before, first: offset, next: offset + 1 });
    else range.next = offset + 1;
    this.read.set(partition, offset + 1);
    this.counts.messages++;
  }

  addRows(rows: readonly (readonly Cell[])[]): void {
    this.counts.events++;
    for (const row of rows) this.rows.push(row);
  }

  addReject(reject: Reject): void {
    this.counts.rejected++;
    this.rejects.push(reject);
  }

  get empty(): boolean {
    return this.counts.messages === 0;
  }

  get full(): boolean {
    return this.rows.length + this.rejects.length >= this.maxRows;
  }
}

/** "0:120-245 2:7-9": the offsets a batch covers, first to last, per partition. */
export function describeRanges(ranges: ReadonlyMap<number, Range>): string {
  return [...ranges]
    .sort(([a], [b]) => a - b)
    .map(([p, r]) => `${p}:${r.first === r.next - 1 ? r.first : `${r.first}-${r.next - 1}`}`)
    .join(' ');
}

/** Messages between each partition's next offset to load and its end, summed; null if an end is unknown. */
export function lag(next: ReadonlyMap<number, number | null>, ends: ReadonlyMap<number, number>): number | null {
  let total = 0;
  for (const [partition, offset] of next) {
    const end = ends.get(partition);
    if (end === undefined) return null;
    // A partition never loaded starts at its first retained message; its end counts the messages.
    total += Math.max(0, end - (offset ?? 0));
  }
  return total;
}
