import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EXIT, EXIT_MEANINGS, SYNC_EXIT_MEANINGS, type ExitMeanings } from '../../src/cli/exit-codes.js';
import { DEFAULT_MAX_LINE_BYTES, parseArgs } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import type { RunIo, Signal } from '../../src/cli/run.js';
import fc from 'fast-check';
import { csvText } from '../../src/cli/csv-text.js';
import { LineDecoder } from '../../src/core/line-decoder.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { eventLineArb, garbageArb } from '../support/arbitraries.js';
import { chunked } from '../support/chunked.js';
import { holding, holdingEventLine } from '../support/debezium-events.js';

const line = (id: number) =>
  holdingEventLine({ op: 'c', before: null, after: holding(id, 1, 'VFIAX', 10, 1624744200000001), tsMs: 1, txId: 1, lsn: 1 }, true);

function io(overrides: Partial<RunIo>): RunIo & { err: () => string } {
  let err = '';
  const stderr = new Writable({
    write(chunk: Buffer, _e, done) {
      err += chunk.toString();
      done();
    },
  });
  return {
    stdin: Readable.from([]),
    stdout: new Writable({ write: (_chunk, _e, done) => done() }),
    stderr,
    stderrTerminal: { isTTY: false, stdoutIsTTY: false, columns: () => undefined, isForeground: () => undefined },
    env: {},
    now: () => Date.UTC(2026, 0, 1),
    elapsedClock: Date.now,
    openInput: () => {
      throw new Error('no files here');
    },
    standardFile: () => null,
    onSignal: () => () => undefined,
    positionedFile: () => null,
    workerScript: null,
    idleProcessors: async () => 0,
    ...overrides,
    err: () => err,
  };
}

describe('main() in process', () => {
  it('respects stdout backpressure: it stops reading while the reader is slow', async () => {
    let pulled = 0;
    const total = 5_000;
    const stdin = Readable.from(
      (function* () {
        for (pulled = 0; pulled < total; pulled++) yield `${line(pulled)}\n`;
      })(),
    );
    let held: (() => void)[] = [];
    let rows = 0;
    let blocked = true;
    const stdout = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, done) {
        rows += chunk.toString().split('\n').length - 1;
        if (blocked) held.push(done);
        else done();
      },
    });
    const running = main(['node', 'holding-pivot'], io({ stdin, stdout }));
    await new Promise((r) => setTimeout(r, 300));
    // Blocked behind the first unacknowledged write, only a few chunks have been read.
    expect(pulled).toBeLessThan(1000);
    blocked = false;
    for (const done of held) done();
    held = [];
    expect(await running).toBe(0);
    expect(pulled).toBe(total);
    expect(rows).toBe(2 * total);
  });

  it('on a terminal, ends with a summary on stderr', async () => {
    const stdin = Readable.from([`${line(1)}\n\nnope\n`]);
    const world = io({ stdin, stderrTerminal: { isTTY: true, stdoutIsTTY: false, columns: () => 80, isForeground: () => true } });
    expect(await main(['node', 'holding-pivot'], world)).toBe(1);
    expect(world.err().replace(/[\d.]+ s\n$/, 'T s\n')).toBe(
      'holding-pivot: stdin:3: not JSON (unexpected "o"): "nope"\n' +
        'holding-pivot: 3 lines, 1 event → 2 rows, 1 tombstone, 0 skipped, 1 rejected, T s\n',
    );
  });

  it('a signal before any input is read stops at once', async () => {
    let fire: (s: Signal) => void = () => undefined;
    const stdin = new PassThrough();
    const world = io({ stdin, onSignal: (listener) => ((fire = listener), () => undefined) });
    const running = main(['node', 'holding-pivot'], world);
    await new Promise((r) => setTimeout(r, 50));
    stdin.write(`${line(1)}\n${line(2).slice(0, 10)}`);
    await new Promise((r) => setTimeout(r, 50));
    fire('SIGINT');
    expect(await running).toBe(130);
  });

  it('returns 2 for usage errors and 0 for --help, writing nothing else', async () => {
    const world = io({});
    expect(await main(['node', 'holding-pivot', '--max-line-bytes', 'lots'], world)).toBe(2);
    expect(world.err()).toBe(
      "holding-pivot: option '--max-line-bytes <size>' argument 'lots' is invalid. expected a size in bytes, such as 1048576, 512K or 64M. (see holding-pivot --help)\n",
    );
    expect(await main(['node', 'holding-pivot', '--fields', 'a,,b'], io({}))).toBe(2);
    const unknown = io({});
    expect(await main(['node', 'holding-pivot', '--with', 'event_id,offset'], unknown)).toBe(2);
    expect(unknown.err()).toBe(
      "holding-pivot: option '--with <list>' argument 'event_id,offset' is invalid. unknown column \"offset\"; the columns are event_id, source_table, lsn, tx_id, committed_at, kafka_topic, kafka_partition, kafka_offset. (see holding-pivot --help)\n",
    );
    const twice = io({});
    expect(await main(['node', 'holding-pivot', '--with', 'lsn,event_id,lsn'], twice)).toBe(2);
    expect(twice.err()).toBe("holding-pivot: option '--with <list>' argument 'lsn,event_id,lsn' is invalid. \"lsn\" is named twice. (see holding-pivot --help)\n");
    expect(await main(['node', 'holding-pivot', '--with', ''], io({}))).toBe(2);
    expect(await main(['node', 'holding-pivot', '--event-time', 'now'], io({}))).toBe(2);
    expect(await main(['node', 'holding-pivot', '--help'], io({}))).toBe(0);
  });

  it('pins datetime_inserted with SOURCE_DATE_EPOCH, and refuses a value it cannot use', async () => {
    const pinned = async (value: string) => {
      let out = '';
      const stdout = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
      const world = io({ stdin: Readable.from([`${line(1)}\n`]), stdout, env: { SOURCE_DATE_EPOCH: value } });
      return { status: await main(['node', 'holding-pivot'], world), inserted: out.split('\n')[0]?.split(',')[8], err: world.err() };
    };
    expect(await pinned('1767225600')).toEqual({ status: 0, inserted: '2026-01-01T00:00:00.000Z', err: '' });
    expect(await pinned('253402300799')).toEqual({ status: 0, inserted: '9999-12-31T23:59:59.000Z', err: '' });
    expect(await pinned('')).toEqual({ status: 0, inserted: '2026-01-01T00:00:00.000Z', err: '' });
    const refused = (value: string) =>
      `holding-pivot: SOURCE_DATE_EPOCH=${JSON.stringify(value)}: expected whole seconds since 1970-01-01 UTC, at most 253402300799 (the end of 9999). (see holding-pivot --help)\n`;
    for (const value of ['253402300800', '99999999999999999', '1767225600.5', '-1', 'soon']) {
      expect(await pinned(value)).toEqual({ status: 2, inserted: undefined, err: refused(value) });
    }
  });

  it('refuses a list option naming a column twice, an empty --id-field, and a line limit no string can hold', async () => {
    const usage = async (...args: string[]) => {
      const world = io({});
      return [await main(['node', 'holding-pivot', ...args], world), world.err()];
    };
    expect(await usage('--fields', 'a,b,a')).toEqual([2, `holding-pivot: option '--fields <list>' argument 'a,b,a' is invalid. "a" is named twice. (see holding-pivot --help)\n`]);
    expect(await usage('--id-field', '')).toEqual([2, `holding-pivot: option '--id-field <column>' argument '' is invalid. expected a column name. (see holding-pivot --help)\n`]);
    expect(await usage('--max-line-bytes', '1G')).toEqual([
      2,
      `holding-pivot: option '--max-line-bytes <size>' argument '1G' is invalid. at most 536870888 bytes (511M), the longest string Node can make of a line. (see holding-pivot --help)\n`,
    ]);
    expect(await usage('--max-line-bytes', '511M')).toEqual([0, '']);
  });

  it('--user-field "" means no user column, as --created-field "" means no created column', async () => {
    let out = '';
    const stdout = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
    const world = io({ stdin: Readable.from([`${line(7)}\n`]), stdout });
    expect(await main(['node', 'holding-pivot', '--user-field', '', '--created-field', ''], world)).toBe(0);
    expect([out, world.err()]).toEqual([
      '7,,holding_stock,,VFIAX,,,,2026-01-01T00:00:00.000Z,c\n7,,holding_quantity,,10,,,,2026-01-01T00:00:00.000Z,c\n',
      '',
    ]);
  });

  it('names a byte order mark that starts a later line (files joined), and takes one on the first', async () => {
    let out = '';
    const stdout = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
    const world = io({ stdin: Readable.from([`\ufeff${line(1)}\n\ufeff${line(2)}\n`]), stdout });
    expect(await main(['node', 'holding-pivot'], world)).toBe(1);
    expect(out.split('\n')).toHaveLength(3);
    expect(world.err()).toMatch(/^holding-pivot: stdin:2: starts with a byte order mark \(U\+FEFF\), which belongs only at the start of an input: /);
  });
});

describe('the command line', () => {
  it('fills exactly the keys RunConfig declares, PivotOptions and ShellOptions, flags false unless given', () => {
    const config = parseArgs(['node', 'holding-pivot'], {});
    const shell = { header: false, errors: undefined, strict: false, maxLineBytes: DEFAULT_MAX_LINE_BYTES, stats: false, quiet: false, progress: 'auto', config: undefined, table: [], threads: 'auto' };
    const declared = [...Object.keys(DEFAULT_OPTIONS), ...Object.keys(shell), 'inputs', 'pinnedTime'];
    expect(Object.keys(config).filter((key) => !declared.includes(key))).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_OPTIONS, ...shell, inputs: ['-'], pinnedTime: undefined });
    expect(parseArgs(['node', 'holding-pivot', '--strict', '--errors', 'e', '--changed-only', 'a', 'b'], { SOURCE_DATE_EPOCH: '1' })).toMatchObject({
      strict: true,
      errors: 'e',
      changedOnly: true,
      snapshot: false,
      inputs: ['a', 'b'],
      pinnedTime: 1000,
    });
  });
});

describe('the exit statuses', () => {
  // The README has two tables, holding-pivot's then holding-pivot-sync's; each --help prints its own from the same meanings.
  const readmeTable = (nth: number): string[] => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const tables = readme.split('| exit status | meaning |\n').slice(1);
    return (tables[nth] ?? '').split('\n').slice(1, 1 + Object.keys(EXIT).length).map((row) => row.replace(/`/g, ''));
  };
  const rowsOf = (meanings: ExitMeanings): string[] => (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((name) => `| ${EXIT[name]} | ${meanings[name]} |`);

  it('are tabled in the README as EXIT_MEANINGS says them (--help prints them from it)', () => {
    expect(readmeTable(0)).toEqual(rowsOf(EXIT_MEANINGS));
  });

  it("are tabled in the README's sync section as SYNC_EXIT_MEANINGS says them (its --help prints them from it)", () => {
    expect(readmeTable(1)).toEqual(rowsOf(SYNC_EXIT_MEANINGS));
  });
});

describe('the options', () => {
  it('are tabled in the README as --help lists them', async () => {
    let help = '';
    const stdout = new Writable({
      write(chunk: Buffer, _e, done) {
        help += chunk.toString();
        done();
      },
    });
    expect(await main(['node', 'holding-pivot', '--help'], io({ stdout }))).toBe(0);
    const flags = (cells: string[]) => cells.flatMap((cell) => cell.match(/-{1,2}[a-zA-Z][\w-]*/g) ?? []).sort();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('| option | what it does |')).split('\n').slice(2);
    const rows = table.slice(0, table.findIndex((row) => !row.startsWith('|')));
    const helpLines = help.slice(help.indexOf('Options:')).split('\n');
    expect(flags(rows.map((row) => row.split('|')[1] ?? ''))).toEqual(
      flags(helpLines.flatMap((row) => /^ {2}(-\S.*?)(?: {2,}|$)/.exec(row)?.[1] ?? [])),
    );
  });
});

describe('warnings', () => {
  it('remembers at most 1,000 causes: warnings of further causes are counted, not shown', async () => {
    const update = (table: number) =>
      JSON.stringify({ op: 'u', before: null, after: { holding_id: 1, user_id: 1, holding_stock: 'A', holding_quantity: 1 }, source: { schema: 's', table: `t${table}`, ts_ms: 1 } });
    const stdin = Readable.from([Array.from({ length: 1_500 }, (_, i) => `${update(i)}\n${update(i)}\n`).join('')]);
    const world = io({ stdin });
    expect(await main(['node', 'holding-pivot', '--created-field', ''], world)).toBe(0);
    const lines = world.err().split('\n').slice(0, -1);
    expect(lines).toHaveLength(2_002);
    expect(lines[999]).toBe(
      'holding-pivot: stdin:1999: warning: updates of s.t999 carry no "before" image, so old_value is NULL; run ALTER TABLE s.t999 REPLICA IDENTITY FULL',
    );
    expect(lines[1000]).toBe('holding-pivot: stdin:2001: warning: more than 1,000 distinct warnings; new ones are counted from here on, not shown');
    expect(lines[1001]).toBe('holding-pivot: warning: the warning at stdin:1 (before-missing: s.t0) also applies to 1 later line');
    expect(lines.at(-1)).toBe('holding-pivot: warning: 1,000 lines from stdin:2001 on had before-missing warnings not shown');
  });
});

describe('main() over random streams', () => {
  it('writes exactly the rows the full parse gives, however the input is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(eventLineArb, garbageArb, fc.constant('')), { maxLength: 25 }), fc.array(fc.nat(20_000), { maxLength: 6 }), async (lines, cuts) => {
        const input = Buffer.from(lines.map((l) => `${l}\n`).join(''));
        let out = '';
        const stdout = new Writable({
          write(chunk: Buffer, _e, done) {
            out += chunk.toString();
            done();
          },
        });
        const world = io({ stdin: Readable.from(chunked(input, cuts)), stdout });
        const status = await main(['node', 'holding-pivot', '--snapshot', '--quiet'], world);
        const reference = new LineDecoder({ ...DEFAULT_OPTIONS, snapshot: true });
        const outcomes = lines.map((l) => reference.decodeWithoutShortcut(l, '2026-01-01T00:00:00.000Z'));
        const rows = outcomes.flatMap((o) => (o.kind === 'rows' ? o.rows : []));
        const rejected = outcomes.filter((o) => o.kind === 'rejected').length;
        expect(out).toBe(csvText(rows));
        expect(world.err().split('\n').filter((l) => l !== '')).toHaveLength(rejected);
        expect(status).toBe(rejected > 0 ? 1 : 0);
      }),
      { numRuns: 150 },
    );
  });
});
