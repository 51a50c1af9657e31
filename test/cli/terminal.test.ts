import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, TEST_ENV } from '../support/spawn.js';

/**
 * The built binary under a real pseudo-terminal: an interactive bash in a tmux pane 40 columns
 * wide, with everything the pane is sent logged byte for byte (tmux pipe-pane). Linux only: the
 * foreground check reads /proc.
 */
const WIDTH = 40;
const CLEAR = '\r\x1b[K';
// About three seconds of input, ten lines at a time: long enough for the live count to appear.
const SLOW_RUN = `for i in $(seq 12); do cat ${ROOT}fixtures/samples/walkthrough-envelope.jsonl; sleep 0.25; done | ${process.execPath} ${BIN} --snapshot`;
const SUMMARY = 'holding-pivot: 120 lines, 96 events → 192 rows, 24 tombstones, 0 skipped, 0 rejected,';

let dir: string;
const tmux = (...args: string[]): string => {
  const result = spawnSync('tmux', ['-S', join(dir, 'socket'), '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (result.error) throw new Error(`these tests need tmux (apt-get install tmux): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
/** The pane as shown, its lines joined where the terminal wrapped them. */
const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'hp');

async function waitFor(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Clears the screen, so that what a test waits for is its own. */
async function cleared(): Promise<void> {
  // bash tells of a finished background job before its next prompt: clear after that prompt too.
  tmux('send-keys', '-t', 'hp', 'clear', 'Enter');
  await waitFor(() => screen().trimEnd().endsWith('\n$') || screen().trim() === '$');
  tmux('send-keys', '-t', 'hp', 'C-l');
  await waitFor(() => screen().trim() === '$');
}

/** Types a command line into the shell and returns what the pane was sent until `done` holds. */
async function typed(command: string, done: () => boolean): Promise<string> {
  const log = join(dir, 'pane.log');
  const before = existsSync(log) ? readFileSync(log, 'latin1').length : 0;
  tmux('send-keys', '-t', 'hp', '-l', command);
  tmux('send-keys', '-t', 'hp', 'Enter');
  await waitFor(done);
  return Buffer.from(readFileSync(log, 'latin1').slice(before), 'latin1').toString('utf8');
}

/** What each redraw of the live count put on the line. */
const drawn = (log: string): string[] => log.split(CLEAR).slice(1).map((piece) => piece.split(/[\r\n]/)[0] as string);

describe.runIf(process.platform === 'linux')('the live count on a real terminal (tmux)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holding-pivot-tty-'));
    // No HISTFILE: a shell killed with the server would write one into dir while afterAll removes it.
    const env = { ...TEST_ENV, PS1: '$ ', HOME: dir, TERM: 'screen', HISTFILE: '' };
    const shell = `env -i ${Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ')} bash --norc --noprofile -i`;
    tmux('new-session', '-d', '-s', 'hp', '-x', String(WIDTH), '-y', '20', shell);
    tmux('pipe-pane', '-t', 'hp', `cat >> ${join(dir, 'pane.log')}`);
    await waitFor(() => screen().startsWith('$ '));
  });

  afterAll(() => {
    tmux('kill-server');
    rmSync(dir, { recursive: true, force: true });
  });

  it('in the foreground: redraws one line within the width, then puts the summary in its place', async () => {
    await cleared();
    const log = await typed(`${SLOW_RUN} > /dev/null`, () => screen().includes(SUMMARY));
    const lines = drawn(log);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(/^holding-pivot: \d+ events, \d+ rows, /);
      expect(line.length).toBe(WIDTH - 1);
    }
    expect(lines.at(-1)).toMatch(/^holding-pivot: 120 lines, /);
    expect(screen()).not.toContain('events/s');
  }, 30_000);

  it('in the background: never draws, so the shell prompt stays', async () => {
    await cleared();
    const log = await typed(`${SLOW_RUN} > /dev/null &`, () => screen().includes(SUMMARY));
    expect(log).not.toContain(CLEAR);
    // The summary, an ordinary line, lands after the prompt the shell printed when the job started.
    expect(screen()).toContain(`$ ${SUMMARY}`);
  }, 30_000);

  it('with the rows on the terminal too: no live count among them', async () => {
    await cleared();
    const log = await typed(SLOW_RUN, () => screen().includes(SUMMARY));
    expect(log).toContain('holding_quantity');
    expect(log).not.toContain(CLEAR);
  }, 30_000);

  it('with --progress never: no live count, the summary still at the end', async () => {
    await cleared();
    const log = await typed(`${SLOW_RUN} --progress never > /dev/null`, () => screen().includes(SUMMARY));
    expect(log).not.toContain(CLEAR);
  }, 30_000);
});
