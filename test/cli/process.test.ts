import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../src/core/columns.js';
import { holding, holdingEventLine, type HoldingChange } from '../support/debezium-events.js';
import { BIN, Child, TEST_ENV } from '../support/spawn.js';

const T = 1624744200000001;
const create = (id: number, stock = 'VFIAX'): string =>
  holdingEventLine({ op: 'c', before: null, after: holding(id, 1, stock, 10, T), tsMs: 1624744320500, txId: id, lsn: id } satisfies HoldingChange, false);
const rowsFor = (id: number, stock = 'VFIAX'): string =>
  `${id},1,holding_stock,,${stock},2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n` +
  `${id},1,holding_quantity,,10,2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'holding-pivot-'));
});

const run = (args: string[], input: string | Buffer = '', cwd = dir) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, env: TEST_ENV, input, encoding: 'utf8', maxBuffer: 1 << 28 });

describe('the binary in a pipeline', () => {
  it('exits 0, silently and at once, when its reader goes away (| head -1)', () => {
    writeFileSync(join(dir, 'one.jsonl'), `${create(1)}\n`);
    const result = spawnSync('bash', ['-c', `yes "$(cat one.jsonl)" | node "${BIN}" | head -1; echo "status \${PIPESTATUS[1]}" >&2`], {
      cwd: dir,
      env: TEST_ENV,
      encoding: 'utf8',
      timeout: 20_000,
      // bash reads ~/.bashrc when its stdin is a socket, as if run by sshd.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.stdout).toBe(rowsFor(1).split('\n')[0] + '\n');
    expect(result.stderr).toBe('status 0\n');
  });

  it('reads files and stdin in the order given, numbering lines per input', () => {
    writeFileSync(join(dir, 'a.jsonl'), `${create(1)}\nbad a\n`);
    writeFileSync(join(dir, 'b.jsonl'), `${create(3)}\n\nbad b\n`);
    const result = run(['a.jsonl', '-', 'b.jsonl'], `${create(2)}\nbad stdin\n`);
    expect(result.stdout).toBe(rowsFor(1) + rowsFor(2) + rowsFor(3));
    expect(result.stderr).toBe(
      'holding-pivot: a.jsonl:2: not JSON (unexpected "b"): "bad a"\n' +
        'holding-pivot: stdin:2: not JSON (unexpected "b"): "bad stdin"\n' +
        'holding-pivot: b.jsonl:3: not JSON (unexpected "b"): "bad b"\n',
    );
    expect(result.status).toBe(1);
  });

  it('writes each line’s rows as soon as the line arrives, without waiting for more input', async () => {
    const child = new Child([]);
    child.process.stdin.write(`${create(1)}\n`);
    await child.waitForLines(2);
    expect(child.stdout).toBe(rowsFor(1));
    child.process.stdin.write(`${create(2)}\n`);
    await child.waitForLines(4);
    child.process.stdin.end();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout).toBe(rowsFor(1) + rowsFor(2));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s stops reading, writes the rows of every whole line read, and exits %i', async (signal, status) => {
    const child = new Child(['--stats']);
    child.process.stdin.write(`${create(1)}\n${create(2)}\n${create(3).slice(0, 50)}`);
    await child.waitForLines(4);
    child.process.kill(signal);
    expect(await child.exited).toEqual({ code: status, signal: null });
    expect(child.stdout).toBe(rowsFor(1) + rowsFor(2));
    expect(child.stderr).toMatch(/^holding-pivot: 2 lines, 2 events → 4 rows, 0 tombstones, 0 skipped, 0 rejected, [\d.]+ s\n$/);
  });
});

describe('regular files, which are read on the main thread', () => {
  // Enveloped lines of ~2.9 KB: the file spans many 128 KiB reads, with lines cut at every boundary.
  const enveloped = (id: number): string =>
    holdingEventLine({ op: 'c', before: null, after: holding(id, 1, `S${id % 97}`, id, T), tsMs: 1624744320500, txId: id, lsn: id }, true);

  it('gives the same rows from a file argument, from stdin redirected from the file, and from a pipe', () => {
    const events = 2_000;
    const text = Array.from({ length: events }, (_, i) => enveloped(i + 1)).join('\n') + '\n';
    const path = join(dir, 'many.jsonl');
    writeFileSync(path, text);
    expect(text.length).toBeGreaterThan(40 * 128 * 1024);
    const piped = run([], text);
    const fromArgument = run([path]);
    const fd = openSync(path, 'r');
    const redirected = spawnSync(process.execPath, [BIN], { cwd: dir, env: TEST_ENV, encoding: 'utf8', stdio: [fd, 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    closeSync(fd);
    expect(piped.stdout.split('\n')).toHaveLength(2 * events + 1);
    expect(piped.stdout.startsWith('1,1,holding_stock,,S1,2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n')).toBe(true);
    for (const result of [piped, fromArgument, redirected]) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    expect(fromArgument.stdout).toBe(piped.stdout);
    expect(redirected.stdout).toBe(piped.stdout);
  });

  it('answers a signal while it is still reading a file', async () => {
    // The file is read with readSync: the signal must still be handled mid-file, not after it.
    const events = 150_000;
    const path = join(dir, 'long.jsonl');
    writeFileSync(path, Array.from({ length: events }, (_, i) => create(i + 1)).join('\n') + '\n');
    const child = new Child([path]);
    await child.waitForLines(2);
    child.process.kill('SIGINT');
    expect(await child.exited).toEqual({ code: 130, signal: null });
    const rows = child.stdout.split('\n').slice(0, -1);
    expect(rows.length).toBeLessThan(2 * events);
    expect(rows.length % 2).toBe(0);
    expect(rows.at(-1)).toBe(rowsFor(rows.length / 2).split('\n')[1]);
  });
});

describe('bad input never crashes the filter nor loses the events around it', () => {
  it('rejects lines that are not UTF-8, keeping their bytes in the --errors file', () => {
    const bad = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]);
    const input = Buffer.concat([Buffer.from(`${create(1)}\n`), bad, Buffer.from(`not json\r\n${create(2)}\n`)]);
    writeFileSync(join(dir, 'dead.jsonl'), 'kept\n');
    const result = run(['--errors', 'dead.jsonl'], input);
    expect(result.stdout).toBe(rowsFor(1) + rowsFor(2));
    expect(result.stderr).toBe(
      'holding-pivot: stdin:2: not valid UTF-8: "{\\"��\\"}"\n' + 'holding-pivot: stdin:3: not JSON (unexpected "o"): "not json"\n',
    );
    expect(result.status).toBe(1);
    expect(readFileSync(join(dir, 'dead.jsonl'))).toEqual(Buffer.concat([Buffer.from('kept\n'), bad, Buffer.from('not json\r\n')]));
  });

  it('rejects a line over --max-line-bytes without keeping it, names it in --errors, and goes on', () => {
    const huge = `{"op":"c","after":{"holding_id":1,"holding_stock":"${'x'.repeat(5 * 1024 * 1024)}"}}`;
    writeFileSync(join(dir, 'long-dead.jsonl'), '');
    const result = run(['--max-line-bytes', '1M', '--errors', 'long-dead.jsonl'], `${create(1)}\n${huge}\n${create(2)}`);
    expect(result.stdout).toBe(rowsFor(1) + rowsFor(2));
    expect(result.stderr).toBe(
      `holding-pivot: stdin:2: line of ${huge.length.toLocaleString('en-US')} bytes is over --max-line-bytes 1,048,576 (not kept): ${JSON.stringify(huge.slice(0, 80))}… (${huge.length.toLocaleString('en-US')} bytes)\n`,
    );
    expect(result.status).toBe(1);
    expect(readFileSync(join(dir, 'long-dead.jsonl'), 'utf8')).toBe(
      `{"holding_pivot":"line not kept: over --max-line-bytes","input":"stdin","line":2,"bytes":${huge.length}}\n`,
    );
  });

  it('ends every --errors entry with a newline, so runs appending to one file never join two lines', () => {
    writeFileSync(join(dir, 'joined.jsonl'), 'written by hand');
    const bad = Buffer.from([0x7b, 0xff]);
    expect(run(['--errors', 'joined.jsonl'], bad).status).toBe(1);
    expect(run(['--errors', 'joined.jsonl'], 'nope').status).toBe(1);
    expect(readFileSync(join(dir, 'joined.jsonl'))).toEqual(Buffer.concat([Buffer.from('written by hand\n'), bad, Buffer.from('\nnope\n')]));
  });

  it('converts a 5 MB line within the default limit', () => {
    const stock = 'x'.repeat(5 * 1024 * 1024);
    const result = run([], `${create(1, stock)}\n`);
    expect(result.stdout).toBe(rowsFor(1, stock));
    expect(result.status).toBe(0);
  });

  it('survives binary garbage, deep nesting and wrong types', () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256).filter((b) => b !== 0x0a));
    const input = Buffer.concat([
      garbage,
      Buffer.from(`\n${create(1)}\n${'['.repeat(200_000)}${']'.repeat(200_000)}\n{"op":"c","after":[]}\n{"op":"c","after":{"holding_id":{"a":${'['.repeat(100_000)}1${']'.repeat(100_000)}}}}\n\0\0\0\n${create(2)}\n`),
    ]);
    const result = run(['--quiet'], input);
    expect(result.stdout).toBe(rowsFor(1) + rowsFor(2));
    const lines = result.stderr.split('\n');
    const expected = [
      'holding-pivot: stdin:1: not valid UTF-8: "',
      'holding-pivot: stdin:3: not a Debezium change event (the line is an array): "[[[[',
      'holding-pivot: stdin:4: "after": expected an object: "{',
      'holding-pivot: stdin:5: cannot be converted (Maximum call stack size exceeded): "{',
      'holding-pivot: stdin:6: not JSON (unexpected "\\u0000"): "\\u0000\\u0000\\u0000"',
      '',
    ];
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => expect(line.startsWith(expected[i] as string), `${line.slice(0, 200)}\n≠ ${expected[i]}`).toBe(true));
    expect(result.status).toBe(1);
  });
});

describe('diagnostics', () => {
  it('prints a summary with --stats, and no warnings with --quiet', () => {
    const update = holdingEventLine({ op: 'u', before: null, after: holding(1, 1, 'A', 1, T), tsMs: 1624744320500, txId: 1, lsn: 1 }, false);
    const loud = run(['--stats'], `${update}\n\n{"ts_ms":1}\nnope\n`);
    expect(loud.stderr.replace(/[\d.]+ s\n$/, 'T s\n')).toBe(
      'holding-pivot: stdin:1: warning: updates of bank.holding carry no "before" image, so old_value is NULL; run ALTER TABLE bank.holding REPLICA IDENTITY FULL\n' +
        'holding-pivot: stdin:4: not JSON (unexpected "o"): "nope"\n' +
        'holding-pivot: 4 lines, 1 event → 2 rows, 1 tombstone, 1 skipped (1 heartbeat), 1 rejected, T s\n',
    );
    const quiet = run(['--quiet'], `${update}\n`);
    expect(quiet.stderr).toBe('');
    expect(quiet.status).toBe(0);
  });

  it('exits 3 with a message when the output cannot be written (a full disk)', () => {
    const full = openSync('/dev/full', 'w');
    const result = spawnSync(process.execPath, [BIN], { cwd: dir, env: TEST_ENV, input: `${create(1)}\n`, encoding: 'utf8', stdio: ['pipe', full, 'pipe'] });
    closeSync(full);
    expect(result.stderr).toBe('holding-pivot: cannot write the output (ENOSPC: no space left on device, write)\n');
    expect(result.status).toBe(3);
  });

  it('refuses an --errors file it cannot open before reading anything', () => {
    const result = run(['--errors', join(dir, 'no/such/dir/dead.jsonl')], `${create(1)}\n`);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`holding-pivot: --errors ${join(dir, 'no/such/dir/dead.jsonl')}: cannot open (ENOENT: no such file or directory, open '${join(dir, 'no/such/dir/dead.jsonl')}')\n`);
    expect(result.status).toBe(3);
  });
});

describe('the process and what surrounds it', () => {
  const sh = (script: string) =>
    spawnSync('bash', ['-c', script], { cwd: dir, env: { ...TEST_ENV, BIN }, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  // fd 4 is a pipe whose reader has already gone: a reader opened the FIFO and exited.
  const closedPipeOn4 = 'rm -f gone && mkfifo gone && { (exec 3<gone) & exec 4>gone; wait; }';

  it('exits 0 silently when the reader of --help or --version has gone', () => {
    const result = sh(`${closedPipeOn4}; node "$BIN" --help >&4; echo "help $?"; node "$BIN" --version >&4; echo "version $?"`);
    expect([result.stdout, result.stderr]).toEqual(['help 0\nversion 0\n', '']);
  });

  // Warnings and rejections among 4,000 events: the first diagnostic fails to be written.
  const mixed = (): string =>
    Array.from({ length: 4_000 }, (_, i) =>
      i % 500 === 1 ? `nope\n${holdingEventLine({ op: 'u', before: null, after: holding(i, 1, 'VFIAX', 10, T), tsMs: 1624744320500, txId: i, lsn: i }, false)}` : create(i),
    ).join('\n') + '\n';

  it('writes every row when stderr cannot be written (a full disk), and exits as it would have', () => {
    writeFileSync(join(dir, 'mixed.jsonl'), mixed());
    const full = openSync('/dev/full', 'w');
    const result = spawnSync(process.execPath, [BIN, 'mixed.jsonl'], { cwd: dir, env: TEST_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', full], maxBuffer: 1 << 26 });
    closeSync(full);
    expect(result.stdout.split('\n')).toHaveLength(2 * 4_000 + 1);
    expect(result.status).toBe(1);
  });

  it('writes every row when the reader of stderr has gone, and exits as it would have', () => {
    writeFileSync(join(dir, 'mixed.jsonl'), mixed());
    const result = sh(`${closedPipeOn4}; node "$BIN" mixed.jsonl 2>&4 > mixed.csv; echo "status $?"`);
    expect(result.stdout).toBe('status 1\n');
    expect(readFileSync(join(dir, 'mixed.csv'), 'utf8').split('\n')).toHaveLength(2 * 4_000 + 1);
  });

  it('refuses to read a file it would write, as cat does, before reading anything', () => {
    writeFileSync(join(dir, 'loop.jsonl'), 'nope\n');
    const refused = (input: string, output: string) => `holding-pivot: ${input}: input file is output file (${output})\n`;
    const cases: [string, string][] = [
      ['node "$BIN" --errors loop.jsonl loop.jsonl', refused('loop.jsonl', 'the --errors file')],
      ['node "$BIN" --errors loop.jsonl < loop.jsonl', refused('stdin', 'the --errors file')],
      ['ln -sf loop.jsonl link.jsonl && node "$BIN" --errors link.jsonl loop.jsonl', refused('loop.jsonl', 'the --errors file')],
      ['node "$BIN" --errors dead.jsonl - loop.jsonl < /dev/null >> loop.jsonl', refused('loop.jsonl', 'stdout')],
    ];
    for (const [command, message] of cases) {
      const result = sh(`${command}; echo "status $?" >&2`);
      expect(result.stderr).toBe(`${message}status 2\n`);
      expect(readFileSync(join(dir, 'loop.jsonl'), 'utf8')).toBe('nope\n');
    }
  });

  it('reads a FIFO once a writer comes, and its end when the writer goes', async () => {
    spawnSync('mkfifo', [join(dir, 'later')]);
    const child = new Child(['--header', 'later'], { cwd: dir });
    await child.waitForLines(1);
    const writer = openSync(join(dir, 'later'), 'w');
    writeFileSync(writer, `${create(1)}\n`);
    closeSync(writer);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout).toBe(`${COLUMNS.join(',')}\n${rowsFor(1)}`);
  });

  it.each([1, 2])('stops at %i SIGINT while waiting for a FIFO that no one writes', async (signals) => {
    spawnSync('mkfifo', [join(dir, `nobody${signals}`)]);
    const child = new Child(['--header', `nobody${signals}`], { cwd: dir });
    await child.waitForLines(1);
    for (let i = 0; i < signals; i++) child.process.kill('SIGINT');
    // A second signal that lands while the process is already ending finds Node's handlers gone:
    // killed by SIGINT, which a shell reports as 130 too.
    expect([{ code: 130, signal: null }, ...(signals > 1 ? [{ code: null, signal: 'SIGINT' }] : [])]).toContainEqual(await child.exited);
    expect(child.stdout).toBe(`${COLUMNS.join(',')}\n`);
  });
});

describe('a terminal as an input file', () => {
  it('stops at two SIGINTs while no one types (script gives it a terminal)', async () => {
    const loop = 'node "$BIN" --header /dev/tty > tty.csv & pid=$!; while [ ! -s tty.csv ]; do sleep 0.05; done; kill -INT $pid; kill -INT $pid; wait $pid; echo "status $?"';
    // script's own stdin stays open: at its end, script would type an end of file on the terminal.
    const terminal = spawn('script', ['-qec', loop, '/dev/null'], { cwd: dir, env: { ...TEST_ENV, BIN } });
    let out = '';
    terminal.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    await new Promise((resolve) => terminal.on('close', resolve));
    expect(out).toMatch(/status 130\r?\n$/);
    expect(readFileSync(join(dir, 'tty.csv'), 'utf8')).toBe(`${COLUMNS.join(',')}\n`);
  });
});

describe('a column the events do not have', () => {
  const enveloped = `${holdingEventLine({ op: 'c', before: null, after: holding(1, 1, 'VFIAX', 10, T), tsMs: 1624744320500, txId: 1, lsn: 1 }, true)}\n`;

  it('is a warning naming the table when the schema lacks it', () => {
    const result = run(['--fields', 'holding_stock,holding_stok'], enveloped);
    expect(result.stderr).toBe(
      'holding-pivot: stdin:1: warning: the table has no column "holding_stok" (its schema names none); written as NULL (check --fields and the --*-field options)\n',
    );
    expect(result.stdout).toBe(
      '1,1,holding_stock,,VFIAX,2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n1,1,holding_stok,,,2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n',
    );
    expect(result.status).toBe(0);
  });

  it('stops --strict at the first event, as a usage error', () => {
    const result = run(['--strict', '--user-field', 'owner'], enveloped + enveloped);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('holding-pivot: stdin:1: the table has no column "owner" (check --fields and the --*-field options); --strict stops here\n');
    expect(result.status).toBe(2);
  });
});
