import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { positionedFile } from '../../src/cli/file-input.js';
import { main } from '../../src/cli/main.js';
import { autoThreads, PARALLEL_MIN_BYTES, PARALLEL_MIN_RATE, streamPays, threadsFromTheStart } from '../../src/cli/thread-plan.js';
import { rangeChunks } from '../../src/cli/range-reader.js';
import { holding, holdingEventLine } from '../support/debezium-events.js';
import { prng } from '../support/prng.js';
import { BIN, Child, ROOT, TEST_ENV } from '../support/spawn.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'holding-pivot-parallel-'));
});

describe('when auto uses threads', () => {
  it('one per idle processor, at most 8, and none unless two are idle', () => {
    expect([0, 0.4, 1.49, 1.5, 2].map(autoThreads)).toEqual([1, 1, 1, 2, 2]);
    expect([1.6, 4.8, 8, 16].map(autoThreads)).toEqual([2, 5, 8, 8]);
  });

  it('from the first line when --threads asks for them, or auto meets a large file first', () => {
    expect(threadsFromTheStart(2, null)).toBe(true);
    expect(threadsFromTheStart(1, PARALLEL_MIN_BYTES)).toBe(false);
    expect(threadsFromTheStart('auto', PARALLEL_MIN_BYTES)).toBe(true);
    expect(threadsFromTheStart('auto', PARALLEL_MIN_BYTES - 1)).toBe(false);
    expect(threadsFromTheStart('auto', null)).toBe(false);
  });

  it('for a stream, once it has brought PARALLEL_MIN_BYTES at the rate of a backfill, not a trickle', () => {
    const atTheRate = (1000 * PARALLEL_MIN_BYTES) / PARALLEL_MIN_RATE;
    expect(streamPays(PARALLEL_MIN_BYTES - 1, 0)).toBe(false);
    expect(streamPays(PARALLEL_MIN_BYTES, atTheRate / 2)).toBe(true);
    expect(streamPays(PARALLEL_MIN_BYTES, atTheRate)).toBe(true);
    expect(streamPays(PARALLEL_MIN_BYTES, atTheRate + 1)).toBe(false);
    expect(streamPays(PARALLEL_MIN_BYTES * 2, 60 * atTheRate)).toBe(false);
  });
});

describe('rangeChunks', () => {
  it('gives every line of a file exactly once over ranges that tile it, whatever the line lengths and range size', () => {
    const line = fc.oneof(fc.string({ maxLength: 12 }), fc.constant('')).map((s) => s.replace(/\n/g, ' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), fc.nat(20), (lines, newlineAtEnd, size, skip) => {
        const text = lines.join('\n') + (newlineAtEnd && lines.length > 0 ? '\n' : '');
        const path = join(dir, 'ranges.txt');
        writeFileSync(path, text);
        const fd = openSync(path, 'r');
        try {
          // The input may start inside the file (stdin's offset): from there on every line is given once.
          const start = Math.min(skip, text.length);
          const parts: Buffer[] = [];
          for (let at = start; at !== -1; ) {
            const last = at + size >= text.length;
            for (const chunk of rangeChunks({ fd, start: at, end: last ? -1 : at + size, atInputStart: at === start })) parts.push(Buffer.from(chunk));
            at = last ? -1 : at + size;
          }
          expect(Buffer.concat(parts).toString()).toBe(text.slice(start));
        } finally {
          closeSync(fd);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds a line end past its reads and past the next range, for lines longer than a read', () => {
    const long = 'x'.repeat(300_000);
    const text = `a\n${long}\nb\n${long}`;
    const path = join(dir, 'long.txt');
    writeFileSync(path, text);
    const fd = openSync(path, 'r');
    try {
      const ranges = [0, 100_000, 200_000, 400_000, 500_000].map((start, i, all) => ({ fd, start, end: all[i + 1] ?? -1, atInputStart: start === 0 }));
      // Compared by their starts and lengths, which say which lines each range gave (a failure stays readable).
      const shape = (text: string) => `${text.slice(0, 3)} ${text.length}`;
      const given = ranges.map((range) => shape(Buffer.concat(Array.from(rangeChunks(range), (chunk) => Buffer.from(chunk))).toString()));
      expect(given).toEqual(['a\n' + long + '\n', '', 'b\n' + long, '', ''].map(shape));
    } finally {
      closeSync(fd);
    }
  });
});

/**
 * An input several conversion jobs long (they read 1 MiB each), with every kind of line the run
 * reports at places all over it: each must be reported as the single-threaded run reports it.
 */
function mixedInput(): Buffer {
  const random = prng(13);
  const parts: Buffer[] = [];
  const T = 1624744200000001;
  for (let i = 1; i <= 1600; i++) {
    const r = random();
    const event = holdingEventLine({ op: 'c', before: null, after: holding(i, i % 7, 'VFIAX', i, T), tsMs: 1624744320500, txId: i, lsn: i }, true);
    let line: Buffer;
    if (r < 0.02) line = Buffer.from('{"not json');
    else if (r < 0.03) line = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    else if (r < 0.04) line = Buffer.from(`\ufeff${event}`);
    else if (r < 0.05) line = Buffer.from(event.replace('"holding_stock":"VFIAX",', ''));
    else if (r < 0.06) line = Buffer.from('');
    else if (r < 0.07) line = Buffer.from(`${event}\r`);
    else if (r < 0.075) line = Buffer.from('y'.repeat(20_000));
    else line = Buffer.from(event);
    parts.push(line, Buffer.from('\n'));
    // Lines longer than a job, across two job boundaries.
    if (i === 700) parts.push(Buffer.from('z'.repeat(2_500_000)), Buffer.from('\n'));
  }
  parts.push(Buffer.from(holdingEventLine({ op: 'c', before: null, after: holding(9999, 1, 'END', 1, T), tsMs: 1, txId: 1, lsn: 1 }, false)));
  return Buffer.concat(parts);
}

/** stdout, stderr, the exit status and the --errors file of a bash command line running the binary as $HP. */
function runShell(command: string): { stdout: string; stderr: string; status: number | null; errors: string } {
  const errors = join(dir, `errors-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync('bash', ['-c', command.replaceAll('$ERRORS', errors)], {
    cwd: dir,
    env: { ...TEST_ENV, HP: `node ${BIN}` },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let kept = '';
  try {
    kept = readFileSync(errors, 'latin1');
  } catch {
    kept = '(none)';
  }
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, errors: kept };
}

describe('conversion threads', () => {
  beforeAll(() => {
    writeFileSync(join(dir, 'mixed.jsonl'), mixedInput());
  });
  const options = '--stats --max-line-bytes 30K --errors $ERRORS';

  it('write the same rows, messages, --errors file and status as the main thread alone, from a file, stdin and a pipe', () => {
    const single = runShell(`$HP --threads 1 ${options} mixed.jsonl`);
    expect(single.status).toBe(1);
    expect(single.stderr).toMatch(/mixed.jsonl:\d+: not JSON/);
    expect(single.stderr).toMatch(/mixed.jsonl:701: line of 2,500,000 bytes is over --max-line-bytes/);
    expect(single.stderr).toMatch(/mixed.jsonl:\d+: starts with a byte order mark/);
    expect(single.stderr).toMatch(/the warning at mixed.jsonl:\d+ \(field-missing: holding_stock\) also applies to \d+ later lines/);
    const withoutDuration = (text: string) => text.replace(/, [\d.]+ s$/m, '');
    const commands: [string, boolean][] = [
      [`$HP --threads 2 ${options} mixed.jsonl`, false],
      [`$HP --threads 3 ${options} - < mixed.jsonl`, true],
      [`cat mixed.jsonl | $HP --threads 2 ${options}`, true],
    ];
    for (const [command, stdin] of commands) {
      const threaded = runShell(command);
      expect({ ...threaded, stderr: withoutDuration(threaded.stderr) }).toEqual({
        ...single,
        stderr: withoutDuration(stdin ? single.stderr.replaceAll('mixed.jsonl:', 'stdin:') : single.stderr),
        errors: single.errors.replaceAll('"input":"mixed.jsonl"', stdin ? '"input":"stdin"' : '"input":"mixed.jsonl"'),
      });
    }
  });

  it('read stdin from where its offset is, numbering lines from there', () => {
    const single = runShell(`tail -n +2 mixed.jsonl | $HP --threads 1 --max-line-bytes 30K`);
    // bash's read leaves the offset just after the first line.
    const threaded = runShell(`{ read -r first; $HP --threads 2 --max-line-bytes 30K; } < mixed.jsonl`);
    expect(threaded).toEqual(single);
    expect(threaded.stdout.length).toBeGreaterThan(100_000);
  });

  it('stop where the main thread stops under --strict, writing nothing after the stopping line', () => {
    const strict = '--strict --max-line-bytes 30K --errors $ERRORS';
    const single = runShell(`tail -n +600 mixed.jsonl | $HP --threads 1 ${strict}`);
    expect(single.status).toBe(1);
    expect(single.stderr).toMatch(/^holding-pivot: stdin:\d+: /);
    expect(runShell(`tail -n +600 mixed.jsonl > strict.jsonl; $HP --threads 2 ${strict} < strict.jsonl`)).toEqual(single);
  });

  it('write a line from a pipe as soon as it arrives, without waiting for more', async () => {
    const child = new Child(['--threads', '2']);
    const T = 1624744200000001;
    for (const id of [1, 2]) {
      child.process.stdin.write(`${holdingEventLine({ op: 'c', before: null, after: holding(id, 1, 'VFIAX', 10, T), tsMs: 1, txId: 1, lsn: 1 }, true)}\n`);
      await child.waitForLines(2 * id);
    }
    expect(child.stdout.split('\n').map((row) => row.split(',')[0])).toEqual(['1', '1', '2', '2', '']);
    child.process.stdin.end();
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });
});

describe('a conversion thread that fails', () => {
  it('ends the run with an internal error and status 3, writing nothing after it', async () => {
    const crash = join(dir, 'crash.mjs');
    writeFileSync(crash, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(7));\n");
    writeFileSync(join(dir, 'events.jsonl'), mixedInput());
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) => new Writable({ write: (chunk: Buffer, _e, done) => (add(chunk.toString()), done()) });
    const status = await main(['node', 'holding-pivot', '--threads', '2', join(dir, 'events.jsonl')], {
      stdin: Readable.from([]),
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
      stderrTerminal: { isTTY: false, stdoutIsTTY: false, columns: () => undefined, isForeground: () => undefined },
      env: {},
      now: () => 0,
      elapsedClock: Date.now,
      openInput: () => Readable.from([]),
      standardFile: () => null,
      onSignal: () => () => undefined,
      positionedFile,
      workerScript: pathToFileURL(crash),
      idleProcessors: async () => 2,
    });
    expect(status).toBe(3);
    expect(out).toBe('');
    expect(err).toBe(`holding-pivot: ${join(dir, 'events.jsonl')}: internal error, please report it: a conversion thread failed (it ended with exit code 7)\n`);
  });
});

describe('a signal during a threaded run', () => {
  it('stops the dispatching, writes the rows of the ranges in flight whole and in order, and exits 130', async () => {
    const T = 1624744200000001;
    const events = 60_000;
    const event = (id: number) => holdingEventLine({ op: 'c', before: null, after: holding(id, 1, 'VFIAX', id, T), tsMs: 1, txId: id, lsn: id }, false);
    const path = join(dir, 'signal.jsonl');
    writeFileSync(path, Array.from({ length: events }, (_, i) => event(i + 1)).join('\n') + '\n');
    const child = new Child(['--threads', '2', path]);
    await child.waitForLines(2);
    child.process.kill('SIGINT');
    expect(await child.exited).toEqual({ code: 130, signal: null });
    const ids = child.stdout
      .split('\n')
      .slice(0, -1)
      .map((row) => Number(row.split(',')[0]));
    expect(ids.length).toBeLessThan(2 * events);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => (i >> 1) + 1));
  });
});

describe('every option through a conversion thread', () => {
  // Small inputs are one range, which a worker converts: the options must reach it whole.
  const cases: [string, string][] = [
    ['--config', '--config ../golden/input/audit.json ../golden/input/tables.jsonl'],
    ['--table with --with', '--table bank.holding --with event_id,lsn,tx_id,committed_at ../recorded/holding.kcat.txt'],
    ['kcat -J with --with', '--with event_id,kafka_topic,kafka_partition,kafka_offset,source_table ../recorded/holding.kcat-J.txt'],
    ['epoch, changed-only, snapshot, header', '--timestamps epoch --changed-only --snapshot --header --event-time processed ../recorded/holding.kcat.txt'],
    ['another table', '--fields "*" --id-field id --user-field "" --created-field "" ../golden/input/custom-table.jsonl'],
    ['flattened, mixed, strict', '../golden/input/flattened.jsonl ../golden/input/mixed-input.jsonl ../golden/input/strict.jsonl'],
  ];
  it.each(cases)('%s', (_name, args) => {
    const run = (threads: number) =>
      spawnSync(process.execPath, [BIN, '--threads', String(threads), ...args.match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"(.*)"$/, '$1'))], {
        cwd: join(ROOT, 'fixtures', 'samples'),
        env: TEST_ENV,
        encoding: 'utf8',
      });
    const single = run(1);
    expect(single.stdout.length).toBeGreaterThan(0);
    expect(run(2)).toMatchObject({ stdout: single.stdout, stderr: single.stderr, status: single.status });
  });
});

describe('a threaded run whose reader goes away', () => {
  it('exits 0, silently and at once (| head -1)', () => {
    const T = 1624744200000001;
    const event = (id: number) => holdingEventLine({ op: 'c', before: null, after: holding(id, 1, 'VFIAX', id, T), tsMs: 1, txId: id, lsn: id }, true);
    writeFileSync(join(dir, 'head.jsonl'), Array.from({ length: 3000 }, (_, i) => event(i + 1)).join('\n') + '\n');
    for (const command of ['$HP --threads 2 head.jsonl | head -1', 'cat head.jsonl | $HP --threads 2 | head -1']) {
      const result = runShell(`${command}; echo "status \${PIPESTATUS[${command.startsWith('cat') ? 1 : 0}]}" >&2`);
      expect(result.stdout).toBe('1,1,holding_stock,,VFIAX,2021-06-26T21:50:00.000001Z,,,2026-01-01T00:00:00.000Z,c\n');
      expect(result.stderr).toBe('status 0\n');
    }
  });
});
