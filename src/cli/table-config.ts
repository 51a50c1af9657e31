import { readFileSync } from 'node:fs';
import { commandLineTable, type TableSpec } from '../core/tables.js';
import type { RunConfig } from './args.js';

/**
 * The tables a run pivots, from --config and --table: the file's tables (only those --table
 * names, when it names some), or the --table tables with the command-line columns; null with
 * neither. A mistake is a list of messages, one a line, each naming the file and the place in it.
 */
export async function tableList(config: RunConfig): Promise<ReadonlyMap<string, TableSpec> | null | string[]> {
  const { config: configFile, table: selected } = config;
  if (configFile === undefined) {
    if (selected.length === 0) return null;
    const table = commandLineTable(config);
    return new Map(selected.map((name) => [name, table]));
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return [`${configFile}: ${e instanceof SyntaxError ? `not JSON (${e.message.replace(/\s+/g, ' ')})` : `cannot read (${e.code ?? e.message})`}`];
  }
  // Loaded only with --config: zod's full build, for its messages, costs start-up time.
  const { parseConfig } = await import('../core/config.js');
  const parsed = parseConfig(value);
  if (Array.isArray(parsed)) return parsed.map((problem) => `${configFile}: ${problem}`);
  if (selected.length === 0) return parsed;
  const missing = selected.filter((name) => !parsed.has(name));
  if (missing.length > 0) return missing.map((name) => `--table ${name}: not in ${configFile}`);
  return new Map(selected.map((name) => [name, parsed.get(name) as TableSpec]));
}
