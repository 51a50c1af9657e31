import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Golden cases: each folder in fixtures/golden holds `case.json` ({ "args": [...], "stdin"?: file }),
 * its inputs, and the exact expected stdout, stderr and exit status of the built binary.
 * `UPDATE_GOLDEN=1 npx vitest run test/cli/golden.test.ts` rewrites the expectations: review the diff.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = join(ROOT, 'fixtures/golden');
const BIN = join(ROOT, 'bin/holding-pivot.js');

// A pinned clock, and a local time zone far from UTC to prove every timestamp is written in UTC.
export const GOLDEN_ENV = { PATH: process.env['PATH'] ?? '', SOURCE_DATE_EPOCH: '1767225600', TZ: 'America/New_York', LANG: 'C' };

interface GoldenCase {
  args: string[];
  stdin?: string;
}

describe('golden cases (the built binary)', () => {
  for (const name of readdirSync(GOLDEN).sort()) {
    const dir = join(GOLDEN, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as GoldenCase;
    it(`${name}: holding-pivot ${spec.args.join(' ')}${spec.stdin ? ` < ${spec.stdin}` : ''}`, () => {
      const result = spawnSync(process.execPath, [BIN, ...spec.args], {
        cwd: dir,
        env: GOLDEN_ENV,
        input: spec.stdin ? readFileSync(join(dir, spec.stdin)) : '',
        encoding: 'utf8',
      });
      const actual = { stdout: result.stdout, stderr: result.stderr, status: `${result.status}\n` };
      for (const [key, value] of Object.entries(actual)) {
        const file = join(dir, `expected.${key}`);
        if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, value);
        expect(existsSync(file), `${file} exists`).toBe(true);
      }
      expect(actual).toEqual({
        stdout: readFileSync(join(dir, 'expected.stdout'), 'utf8'),
        stderr: readFileSync(join(dir, 'expected.stderr'), 'utf8'),
        status: readFileSync(join(dir, 'expected.status'), 'utf8'),
      });
    });
  }
});
