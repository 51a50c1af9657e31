/**
 * The crash-safety proof of holding-pivot-sync, judged from test/e2e/fault-run.ts's result: after
 * SIGKILLs of the syncs (some inside a load's transaction) and of Kafka Connect (which made it
 * send changes twice), the audit table holds exactly the pivot of the changes made.
 */
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../integration/psql.js';
import type { ExpectedRow } from './fault-changes.js';
import type { FaultResult } from './fault-result.js';
import { E2E_DIR, output } from './outputs.js';

/** Rows in `a` beyond their count in `b`: what `b` lacks of `a`, as a multiset. */
function excess(a: readonly ExpectedRow[], b: readonly ExpectedRow[]): string[] {
  const counts = new Map<string, number>();
  for (const row of b) counts.set(JSON.stringify(row), (counts.get(JSON.stringify(row)) ?? 0) + 1);
  const extra: string[] = [];
  for (const row of a) {
    const key = JSON.stringify(row);
    const n = counts.get(key) ?? 0;
    if (n > 0) counts.set(key, n - 1);
    else extra.push(key);
  }
  return extra;
}

const sorted = (rows: readonly ExpectedRow[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

describe.skipIf(E2E_DIR === null)('holding-pivot-sync through SIGKILLs of itself and of Kafka Connect', () => {
  const result = (): FaultResult => JSON.parse(output('faults', 'result.json')) as FaultResult;

  it('made a few thousand changes, and the faults it meant to', () => {
    const r = result();
    expect(r.expected.length / 2).toBeGreaterThan(2000);
    expect(r.kills.length).toBeGreaterThanOrEqual(3);
    expect(r.kills.filter((k) => k.midLoad).length).toBeGreaterThanOrEqual(1);
    expect(r.connect.restartedAfterMs).toBeGreaterThan(0);
    // Kafka Connect really sent changes twice: its offsets were not flushed when it was killed.
    expect(r.topic.duplicates).toBeGreaterThan(0);
    expect(r.topic.messages).toBeGreaterThanOrEqual(r.topic.minimum + r.topic.duplicates);
  });

  it('the audit table is the pivot of the changes made, as a multiset: nothing missing, nothing twice', () => {
    const r = result();
    expect({ missing: excess(r.expected, r.audit), duplicated: excess(r.audit, r.expected) }).toEqual({ missing: [], duplicated: [] });
    expect(sorted(r.audit)).toEqual(sorted(r.expected));
    expect(r.rejects).toBe(0);
  });

  it('the syncs stopped by SIGTERM exit 143, the drain exits 0', () => {
    const { exits } = result();
    expect(exits).toMatchObject({ stopped: [143, 143], drained: 0 });
  });

  it("sql/questions.sql's answers are exact", () => {
    for (const { user, output: text, expected } of result().answers) {
      const answers = parseAnswers(text);
      expect({ user, answers: [...answers.values()].flat() }).toEqual({ user, answers: expected });
    }
  });

  it('reports what the naive kcat -G | holding-pivot | psql pipeline lost and duplicated through the same faults', () => {
    const r = result();
    const missing = excess(r.expected, r.naive).length;
    const duplicated = excess(r.naive, r.expected).length;
    console.log(
      `naive pipeline (control), seed ${r.seed}: ${r.naive.length} rows loaded of ${r.expected.length} expected: ` +
        `${missing} missing, ${duplicated} duplicated (pipeline exit ${String(r.exits.naive)})`,
    );
    expect(r.naive.length).toBe(r.expected.length - missing + duplicated);
  });
});
