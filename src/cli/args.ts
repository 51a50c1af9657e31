import { constants } from 'node:buffer';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { TABLE_NAME } from '../core/tables.js';
import { DEFAULT_OPTIONS, type PivotOptions } from '../core/options.js';
import { EXIT, EXIT_MEANINGS, exitTable } from './exit-codes.js';
import { addPivotOptions } from './pivot-options.js';
import type { Threads } from './thread-plan.js';
import { PROGRESS_MODES, type ProgressMode } from './progress.js';
import { commandOutput, usageLine } from './usage-message.js';

/** The shell's own options, beside the core's PivotOptions; commander fills both from the flags. */
export interface ShellOptions {
  readonly header: boolean;
  /** The --errors file. */
  readonly errors: string | undefined;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  readonly stats: boolean;
  readonly quiet: boolean;
  readonly progress: ProgressMode;
  /** --config: the configuration file naming each table's columns (table-config.ts reads it). */
  readonly config: string | undefined;
  /** --table: the tables to pivot (of the file, or with the command-line columns). */
  readonly table: readonly string[];
  /** --threads: how many threads convert; auto decides by the input's size and the idle processors. */
  readonly threads: Threads;
}

/** Everything a run is told: its options, its inputs and the environment's pinned clock. */
export interface RunConfig extends PivotOptions, ShellOptions {
  /** Input paths in order; "-" is stdin. */
  readonly inputs: readonly string[];
  /** SOURCE_DATE_EPOCH in milliseconds, when set. */
  readonly pinnedTime: number | undefined;
}

/** The command line did not describe a run: print `stdout` and `stderr`, then exit with `status`. */
export class ArgsExit {
  constructor(
    readonly status: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {}
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
// A line becomes one string once it is whole; V8 cannot make a longer one.
const MAX_LINE_BYTES_LIMIT = constants.MAX_STRING_LENGTH;
// datetime_inserted is ISO text PostgreSQL reads back: years up to 9999.
const MAX_EPOCH_SECONDS = 253_402_300_799;

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
    psql -f sql/audit_load.sql
  holding-pivot --fields email,plan --id-field customer_id --user-field account_id \\
    --created-field created_at < customers.jsonl
  kcat -b kafka:9092 -G audit -e -J '^bankserver1\\.bank\\..*' | holding-pivot --config audit.json \\
    --with event_id,lsn,tx_id,committed_at,kafka_topic,kafka_partition,kafka_offset |
    psql -v table=audit_trail -f sql/audit_load.sql

Exit status:
${exitTable(EXIT_MEANINGS)}

Environment:
  SOURCE_DATE_EPOCH  pin datetime_inserted to this Unix time in whole seconds (reproducible output)
`;

function tableName(value: string, previous: string[] | undefined): string[] {
  if (!TABLE_NAME.test(value)) throw new InvalidArgumentError('expected a table named schema.table.');
  return [...(previous ?? []), value];
}

// More threads than this cannot be idle processors on any machine this runs on; a typo, surely.
const MAX_THREADS = 256;

function threadCount(value: string): Threads {
  if (value === 'auto') return value;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_THREADS)) throw new InvalidArgumentError(`expected auto or a number of threads from 1 to ${MAX_THREADS}.`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function size(value: string): number {
  const m = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  const bytes = m ? Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new InvalidArgumentError('expected a size in bytes, such as 1048576, 512K or 64M.');
  if (bytes > MAX_LINE_BYTES_LIMIT) {
    throw new InvalidArgumentError(`at most ${MAX_LINE_BYTES_LIMIT} bytes (511M), the longest string Node can make of a line.`);
  }
  return bytes;
}

/** SOURCE_DATE_EPOCH in milliseconds; undefined when unset or empty. Throws ArgsExit when invalid. */
function pinnedTime(env: NodeJS.ProcessEnv): number | undefined {
  const value = env['SOURCE_DATE_EPOCH'];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_EPOCH_SECONDS) {
    const message = `SOURCE_DATE_EPOCH=${JSON.stringify(value)}: expected whole seconds since 1970-01-01 UTC, at most ${MAX_EPOCH_SECONDS} (the end of 9999).`;
    throw new ArgsExit(EXIT.usage, '', usageMessage(message));
  }
  return Number(value) * 1000;
}

function command(out: (text: string) => void, err: (text: string) => void): Command {
  const program = new Command()
    .name('holding-pivot')
    .usage('[options] [file...]')
    .description('Turn Debezium change events into field-level CSV rows for an SQL audit trail.')
    .argument('[file...]', 'files to read in order, like cat; "-" or none reads stdin')
    .version(packageJson.version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit');
  return addPivotOptions(program)
    .option('--config <file>', 'a JSON file of the tables to pivot and their columns (README: "Many tables")')
    .addOption(new Option('--table <schema.table>', 'pivot only this table (repeatable); without --config, with the options above').argParser(tableName))
    .option('--header', 'write the column names as the first row')
    .option('--errors <file>', 'append every rejected line, verbatim, to this file')
    .option('--strict', 'stop at the first rejected line, or event without a column an option names')
    .addOption(
      new Option('--max-line-bytes <size>', 'reject longer lines without holding them in memory')
        .argParser(size)
        .default(DEFAULT_MAX_LINE_BYTES, '64M'),
    )
    .option('--stats', 'print a summary on stderr at the end (always shown on a terminal)')
    .option('-q, --quiet', 'no warnings (rejected lines are still reported)')
    .addOption(
      new Option('--progress <when>', 'when to show a live count on stderr (auto: on a terminal, in the foreground)')
        .choices(PROGRESS_MODES)
        .default('auto' satisfies ProgressMode),
    )
    .addOption(
      new Option('--threads <n>', 'threads converting: auto (large inputs, idle processors), or a number (1: no threads besides the main one)')
        .argParser(threadCount)
        .default('auto' satisfies Threads),
    )
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput(commandOutput('holding-pivot', out, err));
}

const usageMessage = (message: string): string => usageLine('holding-pivot', message);

/** --config and --table beside the options they make meaningless are usage errors. */
function tableOptionsAgree(program: Command, options: Omit<PivotOptions, 'tables'> & ShellOptions): void {
  // The file names every table's columns: the same options beside it would be silently unused.
  const columnOptions = ['fields', 'idField', 'userField', 'createdField'].filter((name) => program.getOptionValueSource(name) === 'cli');
  const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (options.config !== undefined && columnOptions.length > 0) {
    throw new ArgsExit(EXIT.usage, '', usageMessage(`--config names each table's columns; leave out ${columnOptions.map(flag).join(', ')}`));
  }
  if ((options.config !== undefined || options.table.length > 0) && options.with.includes('source_table')) {
    throw new ArgsExit(EXIT.usage, '', usageMessage('--with source_table: with --config or --table every row starts with its source_table already'));
  }
}

/** Reads the command line and the environment; throws ArgsExit for --help, --version and usage errors. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunConfig {
  let stdout = '';
  let stderr = '';
  const program = command(
    (text) => (stdout += text),
    (text) => (stderr += text),
  );
  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) throw new ArgsExit(error.exitCode === 0 ? EXIT.ok : EXIT.usage, stdout, stderr);
    throw error;
  }
  const pinned = pinnedTime(env);
  // A flag that is not given is false, not absent, as ShellOptions and PivotOptions declare it.
  for (const option of program.options) {
    const key = option.attributeName();
    if (option.isBoolean() && key !== 'version' && program.getOptionValue(key) === undefined) program.setOptionValue(key, false);
  }
  // No default in the option itself, so --help shows none for it.
  if (program.getOptionValue('with') === undefined) program.setOptionValue('with', [...DEFAULT_OPTIONS.with]);
  if (program.getOptionValue('table') === undefined) program.setOptionValue('table', []);
  const options = program.opts<Omit<PivotOptions, 'tables'> & ShellOptions>();
  tableOptionsAgree(program, options);
  // The table list itself is read from --config and --table later (table-config.ts).
  return { ...options, tables: DEFAULT_OPTIONS.tables, inputs: program.args.length > 0 ? program.args : ['-'], pinnedTime: pinned };
}
