import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT, exitTable, SYNC_EXIT_MEANINGS } from '../cli/exit-codes.js';
import { addPivotOptions, type PivotFlag } from '../cli/pivot-options.js';
import { commandOutput } from '../cli/usage-message.js';
import type { EventTimeMode, PivotOptions } from '../core/options.js';

/**
 * The pivot options the sync sets itself instead of taking them from its command line: --with is
 * every identity column (AUDIT_COLUMNS), and --timestamps is iso, since the audit table's datetime
 * columns are timestamps, which refuse epoch numbers.
 */
export const SET_BY_SYNC = ['with', 'timestamps'] as const satisfies readonly PivotFlag[];

/** The pivot options a sync takes from its command line: one table's columns (no --config). */
export type SyncPivotOptions = Omit<PivotOptions, (typeof SET_BY_SYNC)[number] | 'tables'>;

/** Everything a sync is told on its command line. */
export interface SyncConfig {
  readonly brokers: string;
  readonly topic: string;
  /** The partitions this instance loads; null: every partition the topic has when it starts. */
  readonly partitions: readonly number[] | null;
  /** Exit once every partition is loaded up to the end it had when it was reached. */
  readonly drain: boolean;
  readonly table: string;
  /** A libpq connection string or URL; null: the PG* environment variables. */
  readonly db: string | null;
  readonly batchRows: number;
  readonly batchMs: number;
  /** How each message is pivoted: holding-pivot's options, but those the sync sets itself. */
  readonly pivot: SyncPivotOptions;
  /** librdkafka properties for kcat (-X), e.g. security settings. */
  readonly kafkaProperties: readonly string[];
  readonly kcat: string;
  readonly stats: boolean;
  readonly quiet: boolean;
}

/** The command line did not describe a run: print nothing more and exit with this status. */
export class SyncArgsExit {
  constructor(readonly status: number) {}
}

export const DEFAULT_TABLE = 'holding_pivot_audit';
export const DEFAULT_BATCH_ROWS = 5000;
export const DEFAULT_BATCH_MS = 1000;

const EPILOG = `
Consumes the topic's partitions with kcat (one kcat -C -J per partition, no consumer group),
pivots every change event with holding-pivot's core, and loads the rows into PostgreSQL in
batches. Each batch is one transaction holding its rows, its rejected messages and the Kafka
position it covers (table holding_pivot_sync_offsets); a restart resumes from there, so a crash
at any moment loses nothing and loads nothing twice.

PostgreSQL: --db, else libpq's variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD).
Create the tables first: psql -f sql/holding_pivot_audit.sql -f sql/holding_pivot_sync.sql

Examples:
  holding-pivot-sync -b kafka:9092 -t bankserver1.bank.holding --snapshot
  holding-pivot-sync -b kafka:9092 -t bankserver1.bank.holding --partitions 0,1 --drain

Exit status:
${exitTable(SYNC_EXIT_MEANINGS)}
`;

function positiveInteger(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** "0,2,5": distinct partition numbers, in the order given. */
function partitionList(value: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => !/^\d+$/.test(s))) throw new InvalidArgumentError('expected partition numbers such as 0,2.');
  const numbers = items.map(Number);
  if (new Set(numbers).size !== numbers.length) throw new InvalidArgumentError('a partition is listed twice.');
  return numbers;
}

function kafkaProperty(value: string, previous: string[]): string[] {
  if (!/^[^=\s]+=/.test(value)) throw new InvalidArgumentError('expected property=value.');
  return [...previous, value];
}

/** Reads the command line; throws SyncArgsExit for --help, --version and usage errors. */
export function parseSyncArgs(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): SyncConfig {
  const program = new Command()
    .name('holding-pivot-sync')
    .usage('-b <brokers> -t <topic> [options]')
    .description('Keep a PostgreSQL audit table loaded from a Debezium topic, crash-safely.')
    .version(packageJson.version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .requiredOption('-b, --brokers <list>', 'Kafka bootstrap servers, as kcat -b takes them')
    .requiredOption('-t, --topic <name>', 'the Debezium topic of the table')
    .addOption(new Option('--partitions <list>', 'load only these partitions (default: all)').argParser(partitionList))
    .option('--drain', 'exit when every partition is loaded up to its end (for cron and tests)')
    .option('--table <name>', 'the table to load', DEFAULT_TABLE)
    .option('--db <connection>', 'PostgreSQL connection string or URL (default: PG* variables)')
    .addOption(
      new Option('--batch-rows <n>', 'load a batch once it holds this many rows').argParser(positiveInteger).default(DEFAULT_BATCH_ROWS),
    )
    .addOption(
      new Option('--batch-ms <ms>', 'load a batch this long after its first message at the latest')
        .argParser(positiveInteger)
        .default(DEFAULT_BATCH_MS),
    );
  addPivotOptions(program, SET_BY_SYNC)
    .addOption(new Option('-X <property=value>', 'a librdkafka property for kcat (repeatable)').argParser(kafkaProperty).default([]))
    .option('--kcat <path>', 'the kcat executable', 'kcat')
    .option('--stats', 'a line per batch on stderr, and a summary at the end (always on a terminal)')
    .option('-q, --quiet', 'no warnings (rejected messages are still reported)')
    .addHelpText('after', EPILOG)
    .exitOverride()
    .configureOutput(commandOutput('holding-pivot-sync', out, err));
  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) throw new SyncArgsExit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    throw error;
  }
  const o = program.opts<{
    brokers: string;
    topic: string;
    partitions?: number[];
    drain?: boolean;
    table: string;
    db?: string;
    batchRows: number;
    batchMs: number;
    fields: string[];
    idField: string;
    userField: string;
    createdField: string;
    snapshot?: boolean;
    changedOnly?: boolean;
    eventTime: EventTimeMode;
    X: string[];
    kcat: string;
    stats?: boolean;
    quiet?: boolean;
  }>();
  return {
    brokers: o.brokers,
    topic: o.topic,
    partitions: o.partitions ?? null,
    drain: o.drain === true,
    table: o.table,
    db: o.db ?? null,
    batchRows: o.batchRows,
    batchMs: o.batchMs,
    pivot: {
      fields: o.fields,
      idField: o.idField,
      userField: o.userField,
      createdField: o.createdField,
      snapshot: o.snapshot === true,
      changedOnly: o.changedOnly === true,
      eventTime: o.eventTime,
    },
    kafkaProperties: o.X,
    kcat: o.kcat,
    stats: o.stats === true,
    quiet: o.quiet === true,
  };
}
