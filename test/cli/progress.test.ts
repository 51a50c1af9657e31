import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveCount, type ProgressMode } from '../../src/cli/progress.js';
import { Counts, Reporter } from '../../src/cli/reporter.js';

const CLEAR = '\r\x1b[K';

/** A live count over a terminal whose facts the test sets, with a clock it moves by hand. */
function world(mode: ProgressMode, facts: { isTTY?: boolean; stdoutIsTTY?: boolean; columns?: number | undefined; foreground?: boolean | undefined } = {}) {
  const state = { now: 0, events: 0, rows: 0, rejected: 0, isTTY: true, stdoutIsTTY: false, columns: 200 as number | undefined, foreground: true as boolean | undefined, ...facts };
  let written = '';
  const err = new Writable({
    write(chunk: Buffer, _e, done) {
      written += chunk.toString();
      done();
    },
  });
  const terminal = { isTTY: state.isTTY, stdoutIsTTY: state.stdoutIsTTY, columns: () => state.columns, isForeground: () => state.foreground };
  const live = new LiveCount(err, terminal, mode, () => state.now, () => state);
  // Started at 0 ms with no events; the test calls update() itself instead of the timer.
  live.start();
  live.stop();
  /** Moves the clock to `at` ms, counting `events` so far, and lets the live count update. */
  const tick = (at: number, events = state.events): string => {
    state.now = at;
    state.events = events;
    state.rows = 2 * events;
    written = '';
    live.update();
    return written;
  };
  const clear = (): string => {
    written = '';
    live.clear();
    return written;
  };
  return { state, live, tick, clear };
}

describe('the live count', () => {
  it('waits a second, then shows the totals and the rate over the last two seconds', () => {
    const { tick } = world('auto');
    expect(tick(250, 1000)).toBe('');
    expect(tick(750, 3000)).toBe('');
    expect(tick(1000, 4000)).toBe(`${CLEAR}holding-pivot: 4,000 events, 8,000 rows, 0 rejected, 4,000 events/s`);
    expect(tick(2000, 8000)).toBe(`${CLEAR}holding-pivot: 8,000 events, 16,000 rows, 0 rejected, 4,000 events/s`);
    // A stall shows as one: the average since the start would still say 2,667 and then 2,000 events/s.
    expect(tick(3000, 8000)).toBe(`${CLEAR}holding-pivot: 8,000 events, 16,000 rows, 0 rejected, 2,000 events/s`);
    expect(tick(4000, 8000)).toBe(`${CLEAR}holding-pivot: 8,000 events, 16,000 rows, 0 rejected, 0 events/s`);
  });

  it('draws nothing while the job is in the background, and draws again back in the foreground', () => {
    const { state, tick } = world('auto');
    state.foreground = false;
    expect(tick(1000, 10)).toBe('');
    expect(tick(1250, 20)).toBe('');
    state.foreground = true;
    expect(tick(1500, 30)).toBe(`${CLEAR}holding-pivot: 30 events, 60 rows, 0 rejected, 20 events/s`);
  });

  it('leaves the screen alone once the job has gone to the background after drawing', () => {
    const { state, tick, clear } = world('auto');
    expect(tick(1000, 10)).not.toBe('');
    state.foreground = false;
    expect(clear()).toBe('');
    state.foreground = true;
    expect(clear()).toBe('');
    expect(tick(1250, 10)).not.toBe('');
    expect(clear()).toBe(CLEAR);
    expect(clear()).toBe('');
  });

  it('keeps the line one column short of the terminal width, following resizes', () => {
    const { state, tick } = world('auto', { columns: 30 });
    expect(tick(1000, 5)).toBe(`${CLEAR}holding-pivot: 5 events, 10 r`);
    state.columns = 20;
    expect(tick(1250, 5)).toBe(`${CLEAR}holding-pivot: 5 ev`);
  });

  it('auto draws only on a terminal that does not show the rows too, in a foreground it can tell', () => {
    expect(world('auto', { isTTY: false, columns: undefined }).tick(1000, 5)).toBe('');
    expect(world('auto', { stdoutIsTTY: true }).tick(1000, 5)).toBe('');
    expect(world('auto', { foreground: undefined }).tick(1000, 5)).toBe('');
  });

  it('always draws off a terminal too, and where the foreground cannot be told, but never in the background', () => {
    expect(world('always', { isTTY: false, columns: undefined, foreground: false }).tick(1000, 5)).toBe(`${CLEAR}holding-pivot: 5 events, 10 rows, 0 rejected, 5 events/s`);
    expect(world('always', { foreground: undefined }).tick(1000, 5)).toBe(`${CLEAR}holding-pivot: 5 events, 10 rows, 0 rejected, 5 events/s`);
    expect(world('always', { foreground: false }).tick(1000, 5)).toBe('');
  });

  it('never draws with never', () => {
    expect(world('never').tick(1000, 5)).toBe('');
  });
});

describe('the reporter with a live count', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('clears the line before any other line, redraws it at most every 250 ms, and ends with the summary in its place', () => {
    vi.useFakeTimers({ now: 0 });
    let err = '';
    const stream = new Writable({
      write(chunk: Buffer, _e, done) {
        err += chunk.toString();
        done();
      },
    });
    const terminal = { isTTY: true, stdoutIsTTY: false, columns: () => 100, isForeground: () => true };
    const reporter = new Reporter(stream, { quiet: false, stats: false, progress: 'auto', terminal, now: Date.now });
    const counts = new Counts();
    reporter.startProgress(counts);
    counts.lines = counts.events = 10;
    counts.rows = 20;
    vi.advanceTimersByTime(1000);
    reporter.error('something');
    vi.advanceTimersByTime(499);
    reporter.finish(counts);
    expect(err).toBe(
      `${CLEAR}holding-pivot: 10 events, 20 rows, 0 rejected, 10 events/s` +
        `${CLEAR}holding-pivot: something\n` +
        `${CLEAR}holding-pivot: 10 events, 20 rows, 0 rejected, 8 events/s` +
        `${CLEAR}holding-pivot: 10 lines, 10 events → 20 rows, 0 tombstones, 0 skipped, 0 rejected, 1.50 s\n`,
    );
  });
});
