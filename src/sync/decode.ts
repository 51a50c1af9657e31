import { isUtf8 } from 'node:buffer';
import { COLUMNS, IDENTITY_COLUMNS } from '../core/columns.js';
import type { KafkaPosition } from '../core/identity.js';
import { LineDecoder, type LineOutcome } from '../core/line-decoder.js';
import type { SyncPivotOptions } from './options.js';

/** The columns the sync loads, in order: the pivot's ten, then those identifying each change. */
export const AUDIT_COLUMNS: readonly string[] = [...COLUMNS, ...IDENTITY_COLUMNS];

/** What one kcat -J line gave: the core's outcome and the message's position. */
export interface Decoded {
  readonly outcome: LineOutcome;
  readonly position: KafkaPosition;
}

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
    // Not UTF-8: the position is still readable (decoded leniently), and the message is kept byte
    // for byte as a reject, as holding-pivot's WholeLines keeps such a line.
    const valid = isUtf8(line);
    const outcome = this.decoder.decode(line.toString('utf8'), insertedAt);
    const { position } = outcome;
    if (position === undefined) return null;
    return { outcome: valid ? outcome : { kind: 'rejected', reason: 'not valid UTF-8', position }, position };
  }
}
