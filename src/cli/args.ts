import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { IDENTITY_COLUMNS, type IdentityColumn } from '../core/columns.js';
import { TABLE_NAME } from '../core/tables.js';
import {
  DEFAULT_OPTIONS,
  EVENT_TIME_MODES,
  TIMESTAMP_MODES,
  type EventTimeMode,
  type PivotOptions,
  type TimestampMode,
} from '../core/options.js';

/** Everything a run is told on its command line. */
export interface RunConfig {
  readonly pivot: PivotOptions;
  /** Input paths in order; "-" is stdin. */
  readonly inputs: readonly string[];
  readonly header: boolean;
  readonly errorsFile: string | undefined;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  readonly stats: boolean;
  readonly quiet: boolean;
  /** --config: the configuration file naming each table's columns. */
  readonly configFile: string | undefined;
  /** --table: the tables to pivot (of the file, or with the command-line columns). */
  readonly tables: readonly string[];
}

/** The command line did not describe a run: print nothing more and exit with this status. */
export class ArgsExit {
  constructor(readonly status: number) {}
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const EXAMPLES = `
Input: one Kafka message value per line, as kcat prints them: Debezium change events with or
without the JSON converter's schema envelope, kcat -J lines, tombstones (empty, NULL, null).
Output: CSV (RFC 4180), one row per tracked field per event, in the columns
  holding_id,user_id,change_field,old_value,new_value,datetime_created,
  datetime_updated,datetime_deleted,datetime_inserted,op
then the --with columns, in the order given. With --config or --table the rows start with the
table, the key and the user as text: source_table,row_key,user_key,change_field,...
NULL is an empty field, an empty string is "" (what PostgreSQL's COPY ... CSV expects).

Examples:
  kcat -b kafka:9092 -C -u -t bankserver1.bank.holding | holding-pivot > holding_pivot.txt
  holding-pivot --snapshot events.jsonl more.jsonl > holding_pivot.txt
  kcat -b kafka:9092 -C -e -t bankserver1.bank.holding | holding-pivot --changed-only |
    psql -c "\\copy holding_pivot from stdin csv"
  kcat -b kafka:9092 -C -e -J -t bankserver1.bank.holding |
    holding-pivot --with event_id,source_table,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset |
    psql -f sql/holding_pivot_audit_load.sql
  holding-pivot --fields email,plan --id-field customer_id --user-field account_id \\
    --created-field created_at < customers.jsonl
  kcat -b kafka:9092 -G audit -e -J '^bankserver1\\.bank\\..*' | holding-pivot --config audit.json \\
    --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset |
    psql -f sql/audit_trail_load.sql

Exit status:
  0    every line was an event, a tombstone or a deliberate skip
  1    some lines were rejected (reported on stderr; the others were converted),
       or --strict stopped at the first
  2    usage error
  3    an input could not be read, or the output or --errors file not written
  130  interrupted (SIGINT), 143 terminated (SIGTERM): rows of every line read are written

Environment:
  SOURCE_DATE_EPOCH  pin datetime_inserted to this Unix time in seconds (reproducible output)
`;

function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected a comma-separated list of column names.');
  return items;
}

function tableName(value: string, previous: string[] | undefined): string[] {
  if (!TABLE_NAME.test(value)) throw new InvalidArgumentError('expected a table named schema.table.');
  return [...(previous ?? []), value];
}

function identityColumns(value: string): IdentityColumn[] {
  const names = list(value);
  const unknown = names.find((name) => !(IDENTITY_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new InvalidArgumentError(`unknown column "${unknown}"; the columns are ${IDENTITY_COLUMNS.join(', ')}.`);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new InvalidArgumentError(`column "${twice}" is listed twice.`);
  return names as IdentityColumn[];
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function size(value: string): number {
  const m = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  const bytes = m ? Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new InvalidArgumentError('expected a size in bytes, such as 1048576, 512K or 64M.');
  return bytes;
}


/** Reads the command line; throws ArgsExit for --help, --version and usage errors. */
export function parseArgs(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): RunConfig {
  const program = new Command()
    .name('holding-pivot')
    .usage('[options] [file...]')
    .description('Turn Debezium change events into field-level CSV rows for an SQL audit trail.')
    .argument('[file...]', 'files to read in order, like cat; "-" or none reads stdin')
    .version(packageJson.version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .addOption(
      new Option('--fields <list>', 'comma-separated columns to track, one row each')
        .argParser(list)
        .default([...DEFAULT_OPTIONS.fields], DEFAULT_OPTIONS.fields.join(',')),
    )
    .option('--id-field <column>', 'column the holding_id comes from', DEFAULT_OPTIONS.idField)
    .option('--user-field <column>', 'column the user_id comes from', DEFAULT_OPTIONS.userField)
    .option('--created-field <column>', 'column datetime_created comes from ("" for none)', DEFAULT_OPTIONS.createdField)
    .option('--snapshot', 'also pivot snapshot reads (op "r") like creates; skipped by default')
    .option('--changed-only', 'leave out update rows whose field did not change')
    .addOption(
      new Option('--timestamps <mode>', 'iso: ISO 8601 UTC; epoch: the raw numbers, as stream.py wrote them')
        .choices(TIMESTAMP_MODES)
        .default('iso' satisfies TimestampMode),
    )
    .addOption(
      new Option('--event-time <mode>', 'datetime_updated/deleted: commit: when PostgreSQL committed the change; processed: when Debezium read it')
        .choices(EVENT_TIME_MODES)
        .default(DEFAULT_OPTIONS.eventTime),
    )
    .option('--config <file>', 'a JSON file of the tables to pivot and their columns (README: "Configuration file")')
    .addOption(new Option('--table <schema.table>', 'pivot only this table (repeatable); without --config, with the options above').argParser(tableName))
    .addOption(new Option('--with <list>', `columns to append, in this order: ${IDENTITY_COLUMNS.join(',')}`).argParser(identityColumns))
    .option('--header', 'write the column names as the first row')
    .option('--errors <file>', 'append every rejected line, verbatim, to this file')
    .option('--strict', 'stop at the first rejected line')
    .addOption(
      new Option('--max-line-bytes <size>', 'reject longer lines without holding them in memory')
        .argParser(size)
        .default(DEFAULT_MAX_LINE_BYTES, '64M'),
    )
    .option('--stats', 'print a summary on stderr at the end (always shown on a terminal)')
    .option('-q, --quiet', 'no warnings (rejected lines are still reported)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: out,
      writeErr: err,
      outputError: (message, write) =>
        write(`holding-pivot: ${message.replace(/^error: /, '').trimEnd()} (see holding-pivot --help)\n`),
    });

  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) throw new ArgsExit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
  const o = program.opts<{
    fields: string[];
    idField: string;
    userField: string;
    createdField: string;
    snapshot?: boolean;
    changedOnly?: boolean;
    timestamps: TimestampMode;
    eventTime: EventTimeMode;
    with?: IdentityColumn[];
    header?: boolean;
    errors?: string;
    strict?: boolean;
    maxLineBytes: number;
    stats?: boolean;
    quiet?: boolean;
    config?: string;
    table?: string[];
  }>();
  // The file names every table's columns: the same options beside it would be silently unused.
  const columnOptions = ['fields', 'idField', 'userField', 'createdField'].filter((name) => program.getOptionValueSource(name) === 'cli');
  const usage = (message: string): never => {
    try {
      return program.error(message);
    } catch {
      throw new ArgsExit(2);
    }
  };
  if (o.config !== undefined && columnOptions.length > 0) {
    usage(`--config names each table's columns; leave out ${columnOptions.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
  }
  if ((o.config !== undefined || o.table !== undefined) && o.with?.includes('source_table')) {
    usage('--with source_table: with --config or --table every row starts with its source_table already');
  }
  const inputs = program.args.length > 0 ? program.args : ['-'];
  return {
    pivot: {
      fields: o.fields,
      idField: o.idField,
      userField: o.userField,
      createdField: o.createdField,
      snapshot: o.snapshot === true,
      changedOnly: o.changedOnly === true,
      timestamps: o.timestamps,
      eventTime: o.eventTime,
      with: o.with ?? DEFAULT_OPTIONS.with,
      // Set by table-config.ts from --config and --table.
      tables: null,
    },
    inputs,
    header: o.header === true,
    errorsFile: o.errors,
    strict: o.strict === true,
    maxLineBytes: o.maxLineBytes,
    stats: o.stats === true,
    quiet: o.quiet === true,
    configFile: o.config,
    tables: o.table ?? [],
  };
}
