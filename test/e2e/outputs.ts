/**
 * Where the e2e tests find what stack/e2e.sh produced on the real stack, and the shape of it.
 * The tests only judge those outputs: stack/e2e.sh starts and stops the stack and sets HP_E2E_DIR.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The outputs of a stack/e2e.sh run, or null when no run asked for the e2e tests: then they are
 * skipped (npm test runs before the stack exists). Once asked for, a missing output fails.
 */
export const E2E_DIR: string | null = process.env.HP_E2E_DIR ?? null;

if (E2E_DIR === null) console.warn('\ne2e tests SKIPPED: they judge the outputs of npm run test:e2e (stack/e2e.sh sets HP_E2E_DIR).\n');

/** A file of the run, as text; throws (failing the test) when the run did not write it. */
export function output(...path: string[]): string {
  const file = join(E2E_DIR ?? '', ...path);
  if (!existsSync(file)) throw new Error(`${file} is missing: the step of stack/e2e.sh that writes it failed (see its log)`);
  return readFileSync(file, 'utf8');
}
