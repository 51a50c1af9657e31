import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, TEST_ENV } from '../support/spawn.js';

const run = (args: string[], input: string) => spawnSync(process.execPath, [BIN, ...args], { env: TEST_ENV, input, encoding: 'utf8' });

const after = { holding_id: 1, user_id: 1, holding_stock: 'X', holding_quantity: 1, datetime_created: 1 };
// A table name that would forge a line of its own, clear the screen and leave a lone surrogate.
const table = 'h\nholding-pivot: all good\x1b[2J\ud800';
// Quoted as an SQL identifier in the advice, then escaped for the terminal.
const shownTable = '"h\\nholding-pivot: all good\\u001b[2J\\ud800"';

describe('messages never pass input text to the terminal raw', () => {
  it('escapes table names, ops, kcat topics, JSON tokens and file names wherever they appear', () => {
    const lines = [
      JSON.stringify({ op: 'u', before: null, after, source: { schema: 'bank', table }, ts_ms: 1 }),
      JSON.stringify({ op: 'u', before: null, after, source: { schema: 'bank', table }, ts_ms: 2 }),
      JSON.stringify({ op: 'd', before: null, source: { table } }),
      JSON.stringify({ op: '\u009b2J' }),
      JSON.stringify({ topic: 't\x1b]0;owned\x07', partition: 0, offset: 7, payload: '{"op":"c"}' }),
      '\u202eevil',
    ];
    const result = run(['--event-time', 'processed', '-', 'no\nsuch\x1b[31m'], `${lines.join('\n')}\n`);
    expect(result.stderr).toBe(
      [
        `holding-pivot: stdin:1: warning: updates of bank.${shownTable} carry no "before" image, so old_value is NULL; run ALTER TABLE bank.${shownTable} REPLICA IDENTITY FULL`,
        `holding-pivot: stdin:3: op "d" without "before": nothing to pivot (run ALTER TABLE ${shownTable} REPLICA IDENTITY FULL): "{\\"op\\":\\"d\\",\\"before\\":null,\\"source\\":{\\"table\\":\\"h\\\\nholding-pivot: all good\\\\u001b[2J\\\\u"… (87 bytes)`,
        'holding-pivot: stdin:4: unknown op "\\u009b2J": "{\\"op\\":\\"\\u009b2J\\"}"',
        'holding-pivot: stdin:5: op "c" without "after" (topic t\\u001b]0;owned\\u0007, partition 0, offset 7): "{\\"topic\\":\\"t\\\\u001b]0;owned\\\\u0007\\",\\"partition\\":0,\\"offset\\":7,\\"payload\\":\\"{\\\\\\"op\\\\\\":\\\\\\"c"… (85 bytes)',
        'holding-pivot: stdin:6: not JSON (unexpected "\\u202e"): "\\u202eevil"',
        "holding-pivot: no\\nsuch\\u001b[31m: cannot read (ENOENT: no such file or directory, open 'no\\nsuch\\u001b[31m')",
        `holding-pivot: warning: the warning at stdin:1 (before-missing: bank.${shownTable}) also applies to 1 later line`,
        '',
      ].join('\n'),
    );
  });

  it('escapes column names from --fields and values in usage errors', () => {
    const create = JSON.stringify({ op: 'c', before: null, after });
    expect(run(['--fields', 'holding_stock,\x1b[8m'], `${create}\n`).stderr).toBe(
      'holding-pivot: stdin:1: warning: the row image has no column "\\u001b[8m"; written as NULL (check --fields and the --*-field options)\n',
    );
    expect(run(['--timestamps', 'iso\nholding-pivot: fine'], '').stderr).toBe(
      "holding-pivot: option '--timestamps <mode>' argument 'iso\\nholding-pivot: fine' is invalid. Allowed choices are iso, epoch. (see holding-pivot --help)\n",
    );
    expect(run(['--stat'], '').stderr).toBe("holding-pivot: unknown option '--stat' (Did you mean --stats?) (see holding-pivot --help)\n");
  });
});

describe('excerpts', () => {
  it("give the size of a line that is not UTF-8 as it was read, not as mended, without its line end", () => {
    const line = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff]), Buffer.from(`${'a'.repeat(100)}"}\r\n`)]);
    const result = spawnSync(process.execPath, [BIN], { env: TEST_ENV, input: line, encoding: 'utf8' });
    expect(result.stderr).toBe(`holding-pivot: stdin:1: not valid UTF-8: "{\\"x\\":\\"\ufffd${'a'.repeat(73)}"… (109 bytes)\n`);
  });
});

describe('repeated warnings', () => {
  it('count the later lines a warning applied to, not its cells, and name the warning', () => {
    // Each update reads the missing column from both images: two warnings a line.
    const update = (ts: number) => JSON.stringify({ op: 'u', before: after, after, ts_ms: ts });
    const result = run(['--event-time', 'processed', '--fields', 'holding_stock,nope'], [1, 2, 3].map(update).join('\n'));
    expect(result.stderr).toBe(
      'holding-pivot: stdin:1: warning: the row image has no column "nope"; written as NULL (check --fields and the --*-field options)\n' +
        'holding-pivot: warning: the warning at stdin:1 (field-missing: nope) also applies to 2 later lines\n',
    );
  });
});
