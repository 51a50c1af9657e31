import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/holding-pivot.js`;
export const TEST_ENV = { PATH: process.env['PATH'] ?? '', SOURCE_DATE_EPOCH: '1767225600', TZ: 'America/New_York', LANG: 'C' };

/** The built binary as a child process, with helpers to wait for what it writes. */
export class Child {
  readonly process: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], options: { cwd?: string } = {}) {
    this.process = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: TEST_ENV });
    this.process.stdout.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.process.stderr.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => this.process.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once stdout holds `lines` complete lines; the test's timeout bounds the wait. */
  async waitForLines(lines: number): Promise<void> {
    while (this.stdout.split('\n').length - 1 < lines) await new Promise((r) => setTimeout(r, 10));
  }
}
