import { COLUMNS, IDENTITY_COLUMNS } from '../core/columns.js';
import type { KafkaPosition } from '../core/identity.js';
import { LineDecoder, type LineOutcome } from '../core/line-decoder.js';
import type { PivotOptions } from '../core/options.js';
import type { PivotFlag } from '../cli/pivot-options.js';

/** The columns the sync loads, in order: the pivot's ten, then those identifying each change. */
export const AUDIT_COLUMNS: readonly string[] = [...COLUMNS, ...IDENTITY_COLUMNS];

/**
 * The pivot options the sync sets itself instead of taking them from its command line: --with is
 * every identity column (AUDIT_COLUMNS), and --timestamps is iso, since the audit table's datetime
 * columns are timestamps, which refuse epoch numbers.
 */
export const SET_BY_SYNC = ['with', 'timestamps'] as const satisfies readonly PivotFlag[];

/** The pivot options a sync takes from its command line: one table's columns (no --config). */
export type SyncPivotOptions = Omit<PivotOptions, (typeof SET_BY_SYNC)[number] | 'tables'>;

/** What one kcat -J line gave: the core's outcome and the message's position. */
export interface Decoded {
  readonly outcome: LineOutcome;
  readonly position: KafkaPosition;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * The sync's one call into holding-pivot's core: a kcat -J line in, its audit rows (the ten
 * columns and the identity columns) and its position out. The core gives the position of every
 * kcat -J line, tombstones and rejects included, so the sync accounts for each offset.
 */
export class MessageDecoder {
  private readonly decoder: LineDecoder;

  constructor(options: SyncPivotOptions) {
    this.decoder = new LineDecoder({ ...options, with: IDENTITY_COLUMNS, timestamps: 'iso', tables: null });
  }

  /** Decodes one line; null when it is not a kcat -J message at all (no position to account for). */
  decode(line: Buffer, insertedAt: string): Decoded | null {
    let text: string;
    let valid = true;
    try {
      text = utf8.decode(line);
    } catch {
      // The position is still readable; the message is kept byte for byte as a reject.
      text = lenient.decode(line);
      valid = false;
    }
    const outcome = this.decoder.decode(text, insertedAt);
    const { position } = outcome;
    if (position === undefined) return null;
    return { outcome: valid ? outcome : { kind: 'rejected', reason: 'not valid UTF-8', position }, position };
  }
}
