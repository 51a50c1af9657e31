import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dataClock, main } from '../../src/cli/main.js';
import type { RunIo, Signal } from '../../src/cli/run.js';
import fc from 'fast-check';
import { csvText } from '../../src/cli/csv-output.js';
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
    stdout: new PassThrough(),
    stderr,
    stderrTerminal: { isTTY: false, stdoutIsTTY: false, columns: () => undefined, isForeground: () => undefined },
    now: () => Date.UTC(2026, 0, 1),
    elapsedClock: Date.now,
    openInput: () => {
      throw new Error('no files here');
    },
    onSignal: () => () => undefined,
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
    expect(await main(['node', 'holding-pivot', '--help'], io({}))).toBe(0);
  });

  it('pins datetime_inserted with SOURCE_DATE_EPOCH, and only with a valid one', () => {
    expect(dataClock({ SOURCE_DATE_EPOCH: '1767225600' })()).toBe(1767225600000);
    expect(dataClock({ SOURCE_DATE_EPOCH: 'soon' })).toBe(Date.now);
    expect(dataClock({})).toBe(Date.now);
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
