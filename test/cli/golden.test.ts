import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, TEST_ENV } from '../support/spawn.js';

/**
 * Golden cases: each fixtures/golden/<case>.txt is a transcript of the built binary, as a shell
 * runs it from fixtures/golden (inputs in input/): the command line, then its exact stdout, stderr
 * and exit status. The command may be a pipeline (`| head -1`, `< file`); bash runs it with
 * pipefail, so a failing stage shows in the status.
 * `UPDATE_GOLDEN=1 npx vitest run test/cli/golden.test.ts` rewrites the transcripts: review the diff.
 */
const GOLDEN = join(ROOT, 'fixtures/golden');
const SECTIONS = /^\$ (.*)\n--- stdout\n([^]*)--- stderr\n([^]*)--- status (\d+)\n$/;
// Marks output whose last line has no newline, so the transcript still says so.
const NO_NEWLINE = '--- no newline at end\n';

interface Transcript {
  command: string;
  stdout: string;
  stderr: string;
  status: number;
}

const show = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n${NO_NEWLINE}`);
const unshow = (text: string) => (text.endsWith(`\n${NO_NEWLINE}`) ? text.slice(0, -NO_NEWLINE.length - 1) : text);

function parse(file: string): Transcript {
  const match = SECTIONS.exec(readFileSync(file, 'utf8'));
  if (match === null) throw new Error(`${file}: not a transcript ("$ command", "--- stdout", "--- stderr", "--- status N")`);
  const [, command = '', stdout = '', stderr = '', status = ''] = match;
  return { command, stdout: unshow(stdout), stderr: unshow(stderr), status: Number(status) };
}

const format = (t: Transcript) => `$ ${t.command}\n--- stdout\n${show(t.stdout)}--- stderr\n${show(t.stderr)}--- status ${t.status}\n`;

// The built binary as `holding-pivot` on the PATH, run by the node running the tests.
const binDir = mkdtempSync(join(tmpdir(), 'holding-pivot-golden-'));
symlinkSync(BIN, join(binDir, 'holding-pivot'));
const PATH = [binDir, dirname(process.execPath), TEST_ENV.PATH].join(':');
afterAll(() => rmSync(binDir, { recursive: true, force: true }));

describe('golden cases (the built binary)', () => {
  for (const name of readdirSync(GOLDEN).filter((f) => f.endsWith('.txt')).sort()) {
    const file = join(GOLDEN, name);
    const expected = parse(file);
    it(`${name}: ${expected.command}`, () => {
      const result = spawnSync('bash', ['-o', 'pipefail', '-c', expected.command], {
        cwd: GOLDEN,
        env: { ...TEST_ENV, PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      const actual = { command: expected.command, stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, format(actual));
      expect(format(actual)).toBe(format(expected));
    });
  }
});
