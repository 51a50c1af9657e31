import type { Writable } from 'node:stream';
import type { Terminal } from './terminal.js';
import { count } from './terminal-text.js';

/** --progress: auto shows the live count only on a terminal that is not showing the rows too. */
export const PROGRESS_MODES = ['auto', 'always', 'never'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** The running totals the live count shows. */
export interface Totals {
  readonly events: number;
  readonly rows: number;
  readonly rejected: number;
}

// Short runs finish before a live count would help; it would only flicker.
const SHOW_AFTER_MS = 1000;
const EVERY_MS = 250;
// The rate is the events of the last two seconds: recent enough to show a stall, long enough not to jitter.
const RATE_WINDOW_MS = 2000;
const CLEAR_LINE = '\r\x1b[K';

/**
 * One line of running totals on stderr, redrawn in place at most every EVERY_MS. It is drawn only
 * while the process is in its terminal's foreground (never over the shell's prompt when the
 * pipeline runs with `&`), cut to the terminal's width (a wrapped line could not be redrawn), and
 * cleared before any other line is written to stderr.
 */
export class LiveCount {
  private readonly enabled: boolean;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;
  private started = 0;
  /** Events counted at the last ticks within the rate window, oldest first. */
  private samples: { at: number; events: number }[] = [];

  constructor(
    private readonly err: Writable,
    private readonly terminal: Terminal,
    private readonly mode: ProgressMode,
    private readonly clock: () => number,
    private readonly totals: () => Totals,
  ) {
    // Rows written to the same screen would run into the line, and each redraw would wipe one.
    this.enabled = mode === 'always' || (mode === 'auto' && terminal.isTTY && !terminal.stdoutIsTTY);
  }

  start(): void {
    if (!this.enabled) return;
    this.started = this.clock();
    this.samples = [{ at: this.started, events: this.totals().events }];
    this.timer = setInterval(() => this.update(), EVERY_MS);
    this.timer.unref();
  }

  /** Takes a sample and redraws the line when it may; called every EVERY_MS once started. */
  update(): void {
    const now = this.clock();
    const totals = this.totals();
    this.samples.push({ at: now, events: totals.events });
    while (now - (this.samples[0] as { at: number }).at > RATE_WINDOW_MS) this.samples.shift();
    if (now - this.started < SHOW_AFTER_MS || !this.mayDraw()) return;
    const oldest = this.samples[0] as { at: number; events: number };
    const rate = now > oldest.at ? Math.round(((totals.events - oldest.events) * 1000) / (now - oldest.at)) : 0;
    let line = `holding-pivot: ${count(totals.events)} events, ${count(totals.rows)} rows, ${count(totals.rejected)} rejected, ${count(rate)} events/s`;
    // One column short of the width: writing the last column makes some terminals wrap at once.
    const columns = this.terminal.columns();
    if (columns !== undefined) line = line.slice(0, Math.max(columns - 1, 0));
    this.err.write(`${CLEAR_LINE}${line}`);
    this.shown = true;
  }

  /** Removes the line, if drawn, so another can take its place. */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    // Once the job has left the foreground the shell has written below the line; leave that alone.
    if (this.terminal.isTTY && this.terminal.isForeground() === false) return;
    this.err.write(CLEAR_LINE);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Only a terminal's foreground job may draw on it. Off a terminal nothing is drawn over, and
   * where the foreground cannot be known only --progress always draws.
   */
  private mayDraw(): boolean {
    if (!this.enabled) return false;
    if (!this.terminal.isTTY) return true;
    const foreground = this.terminal.isForeground();
    return foreground === true || (foreground === undefined && this.mode === 'always');
  }
}
