/**
 * The configuration file (--config): one entry per source table, validated with zod. Every
 * mistake is reported with its path in the file, so a user can find it without reading the code.
 */
import * as z from 'zod';
import { ALL_COLUMNS, TABLE_NAME, type TableSpec } from './tables.js';

const column = z.string({ error: 'expected a column name' }).min(1, { error: 'expected a column name, not ""' });

const columnList = z
  .array(column, { error: 'expected a list of column names' })
  .refine((names) => new Set(names).size === names.length, { error: 'a column is listed twice' });

const TableEntry = z.strictObject(
  {
    key: z.union([column, columnList.min(1, { error: 'expected at least one key column' })], {
      error: 'expected a column name or a list of column names',
    }),
    user: z.nullable(column).optional(),
    created: z.nullable(column).optional(),
    fields: z.union([z.literal(ALL_COLUMNS), columnList.min(1, { error: 'expected at least one column' })], {
      error: 'expected "*" or a list of column names',
    }),
    exclude: columnList.optional(),
  },
  { error: 'expected an object with "key" and "fields"' },
);

const ConfigFile = z.strictObject(
  {
    tables: z
      .record(z.string().regex(TABLE_NAME, { error: 'expected a table named schema.table' }), TableEntry, {
        error: 'expected an object of tables by schema.table',
      })
      .refine((tables) => Object.keys(tables).length > 0, { error: 'expected at least one table' }),
  },
  { error: 'expected an object with "tables"' },
);

/** A path in the file as a user would write it: tables."bank.holding".key[1]. */
function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else {
      const name = String(part);
      text += `${text === '' ? '' : '.'}${/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name)}`;
    }
  }
  return text;
}

function issueText(issue: z.core.$ZodIssue): string {
  // An unknown key is a mistake at the key itself, so the path names it.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${pathText([...issue.path, key])}: unknown key`).join('\n');
  // An invalid table name: the message is the name check's, inside the issue.
  if (issue.code === 'invalid_key') return `${pathText(issue.path)}: ${issue.issues[0]?.message ?? issue.message}`;
  const where = pathText(issue.path);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** The checks one entry needs beyond its shape: what "exclude" and the key may name. */
function entryProblems(name: string, entry: z.infer<typeof TableEntry>): string[] {
  const at = (key: string) => pathText(['tables', name, key]);
  const problems: string[] = [];
  if (entry.exclude !== undefined && entry.fields !== ALL_COLUMNS) problems.push(`${at('exclude')}: only with "fields": "*"`);
  return problems;
}

/** Reads a configuration file's JSON value: the tables by name, or every mistake, one a line. */
export function parseConfig(value: unknown): Map<string, TableSpec> | string[] {
  const result = ConfigFile.safeParse(value);
  if (!result.success) return result.error.issues.flatMap((issue) => issueText(issue).split('\n'));
  const tables = new Map<string, TableSpec>();
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(result.data.tables)) {
    problems.push(...entryProblems(name, entry));
    tables.set(name, {
      key: typeof entry.key === 'string' ? [entry.key] : entry.key,
      user: entry.user ?? '',
      created: entry.created ?? '',
      fields: entry.fields,
      exclude: entry.exclude ?? [],
    });
  }
  return problems.length > 0 ? problems : tables;
}
