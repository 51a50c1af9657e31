import { Command, InvalidArgumentError, Option } from 'commander';
import { IDENTITY_COLUMNS, type IdentityColumn } from '../core/columns.js';
import {
  DEFAULT_OPTIONS,
  EVENT_TIME_MODES,
  TIMESTAMP_MODES,
  type EventTimeMode,
  type PivotOptions,
  type TimestampMode,
} from '../core/options.js';

/** A column name; "" only where the option allows none. */
function column(optional: boolean): (value: string) => string {
  return (value) => {
    if (value === '' && !optional) throw new InvalidArgumentError('expected a column name.');
    return value;
  };
}

function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected a comma-separated list of column names.');
  const repeated = items.find((s, i) => items.indexOf(s) !== i);
  if (repeated !== undefined) throw new InvalidArgumentError(`"${repeated}" is named twice.`);
  return items;
}

function identityColumns(value: string): IdentityColumn[] {
  const names = list(value);
  const unknown = names.find((name) => !(IDENTITY_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new InvalidArgumentError(`unknown column "${unknown}"; the columns are ${IDENTITY_COLUMNS.join(', ')}.`);
  return names as IdentityColumn[];
}

/** The keys of PivotOptions a flag of its own fills; `tables` comes from --config and --table. */
export type PivotFlag = Exclude<keyof PivotOptions, 'tables'>;

/** The option filling each key of PivotOptions, in the order --help lists them; fresh for each command. */
function pivotOptions(): Record<PivotFlag, Option> {
  return {
    fields: new Option('--fields <list>', 'comma-separated columns to track, one row each')
      .argParser(list)
      .default([...DEFAULT_OPTIONS.fields], DEFAULT_OPTIONS.fields.join(',')),
    idField: new Option('--id-field <column>', 'column the holding_id comes from').argParser(column(false)).default(DEFAULT_OPTIONS.idField),
    userField: new Option('--user-field <column>', 'column the user_id comes from ("" for none)').argParser(column(true)).default(DEFAULT_OPTIONS.userField),
    createdField: new Option('--created-field <column>', 'column datetime_created comes from ("" for none)')
      .argParser(column(true))
      .default(DEFAULT_OPTIONS.createdField),
    snapshot: new Option('--snapshot', 'also pivot snapshot reads (op "r") like creates; skipped by default'),
    changedOnly: new Option('--changed-only', 'leave out update rows whose field did not change'),
    timestamps: new Option('--timestamps <mode>', 'iso: ISO 8601 UTC; epoch: the raw numbers, as stream.py wrote them')
      .choices(TIMESTAMP_MODES)
      .default(DEFAULT_OPTIONS.timestamps satisfies TimestampMode),
    eventTime: new Option('--event-time <mode>', 'datetime_updated/deleted: commit: when PostgreSQL committed the change; processed: when Debezium read it')
      .choices(EVENT_TIME_MODES)
      .default(DEFAULT_OPTIONS.eventTime satisfies EventTimeMode),
    with: new Option('--with <list>', `columns to append, in the order given, from: ${IDENTITY_COLUMNS.join(',')}`).argParser(identityColumns),
  };
}

/**
 * Adds the options that fill PivotOptions to `command` (holding-pivot's and holding-pivot-sync's,
 * one declaration for both), but those in `except`, which the caller sets itself.
 */
export function addPivotOptions(command: Command, except: readonly PivotFlag[] = []): Command {
  for (const [key, option] of Object.entries(pivotOptions())) {
    if (!(except as readonly string[]).includes(key)) command.addOption(option);
  }
  return command;
}
