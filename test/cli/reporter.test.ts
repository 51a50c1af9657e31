import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Counts, MAX_WARNING_CAUSES, Reporter, excerpt, headText } from '../../src/cli/reporter.js';
import type { Terminal } from '../../src/cli/terminal.js';

const NOT_A_TERMINAL: Terminal = { isTTY: false, stdoutIsTTY: false, columns: () => undefined, isForeground: () => undefined };

function reporter(): { reporter: Reporter; err: () => string } {
  let err = '';
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      err += chunk.toString();
      done();
    },
  });
  const settings = { quiet: false, stats: false, progress: 'auto', terminal: NOT_A_TERMINAL, now: () => 0 } as const;
  return { reporter: new Reporter(stream, settings), err: () => err };
}

const beforeMissing = (table: string) => ({ code: 'before-missing', subject: table, message: `updates of ${table} carry no "before" image` }) as const;

describe('warning bookkeeping', () => {
  it(`keeps at most ${MAX_WARNING_CAUSES} causes; lines with new causes beyond them are counted by code`, () => {
    const { reporter: r, err } = reporter();
    for (let line = 1; line <= MAX_WARNING_CAUSES + 5; line++) r.warning(`stdin:${line}`, beforeMissing(`t${line}`));
    // A cause already kept is still counted as its own.
    r.warning('stdin:2000', beforeMissing('t1'));
    r.warning('stdin:2001', { code: 'field-missing', subject: 'x', message: 'no column "x"' });
    r.warning('stdin:2001', { code: 'field-missing', subject: 'y', message: 'no column "y"' });
    r.finish(new Counts());
    const lines = err().split('\n');
    expect(lines.length).toBe(MAX_WARNING_CAUSES + 5);
    expect(lines.slice(MAX_WARNING_CAUSES - 1)).toEqual([
      `holding-pivot: stdin:${MAX_WARNING_CAUSES}: warning: updates of t${MAX_WARNING_CAUSES} carry no "before" image`,
      `holding-pivot: stdin:${MAX_WARNING_CAUSES + 1}: warning: more than 1,000 distinct warnings; new ones are counted from here on, not shown`,
      'holding-pivot: warning: the warning at stdin:1 (before-missing: t1) also applies to 1 later line',
      'holding-pivot: warning: 5 lines from stdin:1001 on had before-missing warnings not shown',
      'holding-pivot: warning: 1 line from stdin:2001 on had field-missing warnings not shown',
      '',
    ]);
  });
});

describe('excerpt', () => {
  it('shows a short line whole', () => {
    expect(excerpt('{"op":"x"}', 10)).toBe('"{\\"op\\":\\"x\\"}"');
  });

  it('cuts a long line after 80 characters, never inside one, and gives the line size in bytes', () => {
    const line = `${'a'.repeat(79)}😀${'é'.repeat(10)}`;
    expect(excerpt(line, Buffer.byteLength(line))).toBe(`"${'a'.repeat(79)}😀"… (103 bytes)`);
  });

  it('reads the first bytes of a line without the character they cut in two', () => {
    expect(headText(Buffer.from('ab😀', 'utf8').subarray(0, 4))).toBe('ab');
  });
});
