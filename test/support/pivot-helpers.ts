import { LineDecoder, type LineOutcome } from '../../src/core/line-decoder.js';
import { DEFAULT_OPTIONS, type PivotOptions } from '../../src/core/options.js';

export const INSERTED = '2026-01-01T00:00:00.000Z';

/** A decoder with the defaults, overridden where a test says so. */
export function decoder(options: Partial<PivotOptions> = {}): LineDecoder {
  return new LineDecoder({ ...DEFAULT_OPTIONS, ...options });
}

/** The rows of an outcome, or a description of why there are none, for exact comparisons. */
export function rowsOf(outcome: LineOutcome): (string | null)[][] | string {
  switch (outcome.kind) {
    case 'rows':
      return outcome.rows.map((row) => [...row]);
    case 'rejected':
      return `rejected: ${outcome.reason}`;
    case 'skipped':
      return `skipped: ${outcome.what}`;
    case 'tombstone':
      return 'tombstone';
  }
}

/** Decodes every line of a text (as the CLI splits it) and returns the rows of all events. */
export function pivotText(text: string, options: Partial<PivotOptions> = {}): (string | null)[][] {
  const d = decoder(options);
  const rows: (string | null)[][] = [];
  for (const line of text.split('\n')) {
    const outcome = d.decode(line, INSERTED);
    if (outcome.kind === 'rows') rows.push(...outcome.rows.map((row) => [...row]));
  }
  return rows;
}
