import type { Writable } from 'node:stream';
import { EXIT, exitStatus } from '../cli/exit-codes.js';
import type { Signal } from '../cli/run.js';
import { Batch, lag, OffsetOrderError } from './batch.js';
import { MessageDecoder } from './decode.js';
import { endOffsets, KafkaError, PartitionReader, topicPartitions } from './kcat.js';
import type { SyncConfig } from './options.js';
import { SyncReporter, SyncTotals } from './reporter.js';
import { DatabaseError, Store } from './store.js';
import { insertedAtClock } from '../cli/inserted-at.js';

/** The world a sync touches besides Kafka and PostgreSQL. */
export interface SyncIo {
  readonly stderr: Writable;
  readonly stderrIsTty: boolean;
  /** Milliseconds since the epoch: datetime_inserted and the batches' durations. */
  readonly now: () => number;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  readonly onSignal: (listener: (signal: Signal) => void) => () => void;
  /** Milliseconds each load keeps its transaction open before committing; 0 but in the fault test. */
  readonly loadDelayMs: number;
}

// kcat -Q is a process start and a broker round trip: measure the lag at most this often.
const LAG_EVERY_MS = 2000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Loads the topic into the table until stopped, or until caught up with --drain; returns the exit status. */
export async function sync(config: SyncConfig, io: SyncIo): Promise<number> {
  const reporter = new SyncReporter(io.stderr, { quiet: config.quiet, stats: config.stats, tty: io.stderrIsTty });
  let store: Store;
  try {
    store = await Store.open({ db: config.db, table: config.table, topic: config.topic, loadDelayMs: io.loadDelayMs });
  } catch (error) {
    reporter.error(message(error));
    return EXIT.io;
  }
  try {
    const partitions = config.partitions ?? (await topicPartitions(config));
    const committed = await store.positions(partitions);
    return await new SyncRun(config, io, store, reporter, committed).run();
  } catch (error) {
    if (!(error instanceof KafkaError || error instanceof DatabaseError)) throw error;
    reporter.error(message(error));
    return EXIT.io;
  } finally {
    await store.close();
  }
}

/**
 * One run: a reader per partition feeding one batch at a time, and loads one after the other,
 * each overlapping the filling of the next batch. A failure stops everything without loading
 * what is left: the next run reads it again from the positions PostgreSQL holds.
 */
class SyncRun {
  private readonly decoder: MessageDecoder;
  /** datetime_inserted, the ISO text made again only when the millisecond changes. */
  private readonly insertedAt: () => string;
  private readonly totals = new SyncTotals();
  /** Per partition: the next offset after the last message taken into a batch. */
  private readonly read: Map<number, number | null>;
  /** Per partition: the next offset PostgreSQL holds, as committed by this run. */
  private readonly committed: Map<number, number | null>;
  private batch: Batch;
  private loading: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readers: PartitionReader[] = [];
  private failure: Error | null = null;
  private signal: Signal | null = null;
  private lagMeasuredAt = -Infinity;
  /** Each partition's end when last measured. */
  private ends: Map<number, number> | null = null;

  constructor(
    private readonly config: SyncConfig,
    private readonly io: SyncIo,
    private readonly store: Store,
    private readonly reporter: SyncReporter,
    committed: Map<number, number | null>,
  ) {
    this.decoder = new MessageDecoder(config.pivot);
    this.insertedAt = insertedAtClock(io.now, false);
    this.committed = committed;
    this.read = new Map(committed);
    this.batch = new Batch(this.read, config.batchRows);
  }

  async run(): Promise<number> {
    const unsubscribe = this.io.onSignal((signal) => {
      this.signal ??= signal;
      this.stopReading();
    });
    try {
      this.readers = [...this.read].map(([partition, start]) => new PartitionReader(this.config, partition, start));
      await Promise.all(this.readers.map((reader) => this.consume(reader)));
      // Drained, or stopped by a signal: what was read is loaded before exiting.
      if (this.failure === null) await this.flush();
      await this.loading;
      if (this.failure === null && this.reporter.wantsLag) await this.measureLag(true);
    } finally {
      clearTimeout(this.timer);
      unsubscribe();
    }
    if (this.failure !== null) this.reporter.error(message(this.failure));
    const how = this.failure !== null ? 'stopped by an error' : this.signal !== null ? `stopped by ${this.signal}` : 'drained';
    this.reporter.finish(this.totals, how);
    return exitStatus({ signal: this.signal, ioFailed: this.failure !== null, usage: false, rejected: this.totals.rejected });
  }

  private async consume(reader: PartitionReader): Promise<void> {
    try {
      for await (const line of reader.lines()) {
        if (this.failure !== null) return;
        this.take(reader.partition, line);
        if (this.batch.full) await this.flush();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private take(partition: number, line: Buffer): void {
    const decoded = this.decoder.decode(line, this.insertedAt());
    if (decoded === null || decoded.position.partition !== partition || decoded.position.topic !== this.config.topic) {
      throw new KafkaError(`partition ${partition}: kcat printed a line that is not one of its messages: ${JSON.stringify(line.toString('utf8').slice(0, 80))}`);
    }
    const { outcome, position } = decoded;
    const batch = this.batch;
    if (batch.empty) this.timer = setTimeout(() => void this.flush(), this.config.batchMs);
    batch.advance(partition, position.offset);
    switch (outcome.kind) {
      case 'rows':
        batch.addRows(outcome.rows);
        for (const warning of outcome.warnings) this.reporter.warning(partition, position.offset, warning);
        break;
      case 'tombstone':
        batch.counts.tombstones++;
        break;
      case 'skipped':
        batch.counts.skipped++;
        break;
      case 'rejected': {
        const copy = Buffer.from(line);
        batch.addReject({ partition, offset: position.offset, reason: outcome.reason, message: copy });
        this.reporter.rejected(partition, position.offset, outcome.reason, copy);
        break;
      }
    }
  }

  /**
   * Queues the batch being filled for loading and starts a new one. Resolves when the load before
   * it is done: a reader that filled a batch waits for that, so at most two batches are in memory.
   */
  private flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const previous = this.loading;
    if (this.batch.empty) return previous;
    const batch = this.batch;
    this.batch = new Batch(this.read, this.config.batchRows);
    this.loading = previous.then(() => this.load(batch));
    return previous;
  }

  private async load(batch: Batch): Promise<void> {
    if (this.failure !== null) return;
    const started = this.io.now();
    try {
      await this.store.load(batch);
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const [partition, range] of batch.ranges) this.committed.set(partition, range.next);
    this.totals.batches++;
    this.totals.messages += batch.counts.messages;
    this.totals.rows += batch.rows.length;
    this.totals.rejected += batch.counts.rejected;
    const elapsed = this.io.now() - started;
    if (this.reporter.wantsLag) await this.measureLag(false);
    this.reporter.committed(batch, this.totals, elapsed);
  }

  /**
   * The lag, from the partitions' ends as last measured (a kcat -Q, at most every LAG_EVERY_MS
   * unless `now`) and the offsets committed since: only messages that arrived after the measure
   * are missing from it.
   */
  private async measureLag(now: boolean): Promise<void> {
    if (now || this.io.now() - this.lagMeasuredAt >= LAG_EVERY_MS) {
      this.lagMeasuredAt = this.io.now();
      this.ends = await endOffsets(this.config, [...this.committed.keys()]).catch(() => null);
    }
    this.totals.lag = this.ends === null ? null : lag(this.committed, this.ends);
  }

  private fail(error: unknown): void {
    if (this.failure === null) {
      const known = error instanceof KafkaError || error instanceof DatabaseError || error instanceof OffsetOrderError;
      this.failure = known ? (error as Error) : new Error(`internal error, please report it (${message(error)})`);
    }
    this.stopReading();
  }

  private stopReading(): void {
    clearTimeout(this.timer);
    for (const reader of this.readers) reader.stop();
  }
}
