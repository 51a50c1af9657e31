import { describe, expect, it } from 'vitest';
import { Child } from '../support/spawn.js';

describe('--stats with a table list', () => {
  it('counts the events of tables not configured among the skipped', async () => {
    const child = new Child(['--table', 'bank.holding', '--stats', '--quiet', 'fixtures/golden/input/tables.jsonl']);
    expect((await child.exited).code).toBe(0);
    expect(child.stderr).toMatch(/^holding-pivot: 7 lines, 1 event → 2 rows, 1 tombstone, 5 skipped \(5 unconfigured\), 0 rejected, \d+\.\d\d s\n$/);
  });
});
