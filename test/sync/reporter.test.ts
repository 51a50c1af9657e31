import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Batch } from '../../src/sync/batch.js';
import { SyncReporter, SyncTotals } from '../../src/sync/reporter.js';

function reporter(settings: { quiet?: boolean; stats?: boolean; tty?: boolean }) {
  let text = '';
  const err = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { r: new SyncReporter(err, { quiet: false, stats: false, tty: false, ...settings }), text: () => text };
}

function committed(): { batch: Batch; totals: SyncTotals } {
  const batch = new Batch(new Map([[0, 40]]), 10);
  batch.advance(0, 40);
  batch.addRows([['1'], ['1']]);
  batch.advance(0, 41);
  batch.counts.tombstones++;
  const totals = new SyncTotals();
  Object.assign(totals, { batches: 1, messages: 2, rows: 2, lag: 1234 });
  return { batch, totals };
}

describe('SyncReporter', () => {
  it('counts the later messages a warning applied to, not its cells', () => {
    const { r, text } = reporter({});
    const warning = { code: 'field-missing' as const, subject: 'nope', message: 'the row image has no column "nope"' };
    for (const offset of [7, 7, 8, 8, 9]) r.warning(0, offset, warning);
    r.finish(new SyncTotals(), 'drained');
    expect(text()).toBe(
      'holding-pivot-sync: partition 0 offset 7: warning: the row image has no column "nope"\n' +
        'holding-pivot-sync: warning: the warning at partition 0 offset 7 also applies to 2 later messages\n',
    );
  });

  it('is quiet when not on a terminal and without --stats', () => {
    const { r, text } = reporter({});
    const { batch, totals } = committed();
    r.committed(batch, totals, 12);
    r.finish(totals, 'drained');
    expect(text()).toBe('');
  });

  it('--stats: a line per batch and a summary', () => {
    const { r, text } = reporter({ stats: true });
    const { batch, totals } = committed();
    r.committed(batch, totals, 12);
    r.finish(totals, 'stopped by SIGTERM');
    expect(text()).toBe(
      'holding-pivot-sync: batch 1: 2 rows from 2 messages (1 event, 1 tombstone, 0 skipped, 0 rejected), offsets 0:40-41, 12 ms; lag 1,234 messages\n' +
        'holding-pivot-sync: stopped by SIGTERM: 1 batch, 2 messages, 2 rows, 0 rejected; lag 1,234 messages\n',
    );
  });

  it('on a terminal: one live line rewritten in place, cleared before anything else is printed', () => {
    const { r, text } = reporter({ tty: true });
    const { batch, totals } = committed();
    r.committed(batch, totals, 12);
    r.rejected(0, 42, 'not JSON', Buffer.from('x'));
    r.finish(totals, 'drained');
    const live = 'holding-pivot-sync: 1 batch, 2 messages, 2 rows, 0 rejected; lag 1,234 messages';
    expect(text()).toBe(
      `\r\x1b[K${live}\r\x1b[Kholding-pivot-sync: partition 0 offset 42: not JSON: "x"\n` + `holding-pivot-sync: drained: ${live.slice('holding-pivot-sync: '.length)}\n`,
    );
  });
});
