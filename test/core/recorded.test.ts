import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IDENTITY_COLUMNS } from '../../src/core/columns.js';
import { decoder, INSERTED, pivotText } from '../support/pivot-helpers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const recorded = (name: string) => readFileSync(join(FIXTURES, 'recorded', name), 'utf8');

/** Every input file under fixtures/, recursively (expected outputs and notes left out). */
function fixtureInputs(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureInputs(path);
    return /\.(jsonl|txt)$/.test(name) ? [path] : [];
  });
}

describe('events recorded from a real Debezium (fixtures/recorded, see VERSIONS there)', () => {
  it('gives the same rows whether kcat printed tombstones as empty lines, NULL (-Z) or wrapped in -J', () => {
    const plain = pivotText(recorded('holding.kcat.txt'), { snapshot: true });
    expect(plain).toHaveLength(30);
    expect(pivotText(recorded('holding.kcat-Z.txt'), { snapshot: true })).toEqual(plain);
    expect(pivotText(recorded('holding.kcat-J.txt'), { snapshot: true })).toEqual(plain);
  });

  it('gives the same rows from a second connector without the schema envelope: the commit times are the database’s', () => {
    const rows = (name: string, eventTime: 'commit' | 'processed') => pivotText(recorded(name), { snapshot: true, eventTime });
    expect(rows('holding-schemaless.kcat.txt', 'commit')).toEqual(rows('holding.kcat.txt', 'commit'));
    // The connectors processed the changes at other times: only their updates and deletes differ.
    const mask = (r: (string | null)[][]) => r.map((row) => row.map((cell, i) => ((i === 6 || i === 7) && cell !== null ? 'T' : cell)));
    const processed = rows('holding-schemaless.kcat.txt', 'processed');
    expect(mask(processed)).toEqual(mask(rows('holding.kcat.txt', 'processed')));
    expect(processed).not.toEqual(rows('holding.kcat.txt', 'processed'));
  });

  it('counts the real capture’s tombstones and keeps the stress values apart', () => {
    const d = decoder({ snapshot: true });
    const kinds = recorded('holding.kcat.txt').trimEnd().split('\n').map((line) => d.decode(line, INSERTED).kind);
    expect(kinds.filter((k) => k === 'tombstone')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'rows')).toHaveLength(15);
    const stocks = pivotText(recorded('holding.kcat.txt'), { snapshot: true }).filter((row) => row[2] === 'holding_stock');
    expect(stocks.map((row) => [row[0], row[3], row[4], row[9]]).slice(8)).toEqual([
      ['1004', null, 'A,"B', 'c'],
      ['1005', null, '', 'c'],
      ['1003', 'VTSAX', 'VTI', 'u'],
      ['1004', 'A,"B', null, 'u'],
      ['1005', '', '', 'u'],
      ['1005', '', null, 'd'],
      ['1006', null, '', 'c'],
    ]);
  });
});

describe('the schema shortcut on every fixture', () => {
  it.each(fixtureInputs().map((path) => [path.slice(FIXTURES.length), path]))('%s: the same outcome as the full parse, line by line', (_, path) => {
    const fast = decoder({ snapshot: true });
    const identified = decoder({ snapshot: true, with: [...IDENTITY_COLUMNS] });
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      expect(fast.decode(line, INSERTED)).toEqual(fast.decodeWithoutShortcut(line, INSERTED));
      expect(identified.decode(line, INSERTED)).toEqual(identified.decodeWithoutShortcut(line, INSERTED));
    }
  });
});
