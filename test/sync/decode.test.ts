import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { AUDIT_COLUMNS, MessageDecoder } from '../../src/sync/decode.js';
import { ROOT } from '../support/spawn.js';

const RECORDED = readFileSync(`${ROOT}fixtures/recorded/holding.kcat-J.txt`, 'utf8').split('\n').filter(Boolean);
const AT = '2026-01-01T00:00:00.000Z';

describe('MessageDecoder', () => {
  it('gives every kcat -J line its position, and change events their audit rows', () => {
    const decoder = new MessageDecoder({ ...DEFAULT_OPTIONS, snapshot: true });
    const decoded = RECORDED.map((line) => decoder.decode(Buffer.from(line), AT)!);
    expect(decoded.map((d) => d.position.offset)).toEqual([...Array(18).keys()]);
    expect(decoded.map((d) => d.outcome.kind).filter((k) => k === 'tombstone')).toHaveLength(3);
    const first = decoded[0]!.outcome;
    expect(first.kind).toBe('rows');
    if (first.kind !== 'rows') return;
    expect(first.rows.map((row) => row.length)).toEqual([AUDIT_COLUMNS.length, AUDIT_COLUMNS.length]);
    const cells = Object.fromEntries(AUDIT_COLUMNS.map((c, i) => [c, first.rows[0]![i]]));
    expect(cells).toMatchObject({ op: 'r', kafka_topic: 'bankserver1.bank.holding', kafka_partition: '0', kafka_offset: '0', source_table: 'bank.holding' });
  });

  it('rejects a message that is not valid UTF-8, keeping its position', () => {
    const line = Buffer.concat([Buffer.from('{"topic":"t","partition":2,"offset":7,"key":null,"payload":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(new MessageDecoder(DEFAULT_OPTIONS).decode(line, AT)).toEqual({
      outcome: { kind: 'rejected', reason: 'not valid UTF-8', position: { topic: 't', partition: 2, offset: 7 } },
      position: { topic: 't', partition: 2, offset: 7 },
    });
  });

  it('returns null for a line that is not a kcat -J message', () => {
    expect(new MessageDecoder(DEFAULT_OPTIONS).decode(Buffer.from('{"op":"c"}'), AT)).toBeNull();
    expect(new MessageDecoder(DEFAULT_OPTIONS).decode(Buffer.from('not json'), AT)).toBeNull();
  });
});
