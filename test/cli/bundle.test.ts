import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/spawn.js';

/** What `npm run build` puts in dist/, the only code the installed package runs. */
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const packageJson = JSON.parse(read('package.json')) as { version: string; description: string };

describe('the bundle (npm run build)', () => {
  it('carries the version of package.json, not the rest of the file', () => {
    const main = read('dist/main.js');
    expect(main).toContain(JSON.stringify(packageJson.version));
    expect(main).not.toContain(packageJson.description);
    expect(main).not.toContain('devDependencies');
  });

  it('carries the licence of every package it bundles, with its version', () => {
    const headings = read('dist/THIRD-PARTY-NOTICES').match(/^\S+ \d+\.\d+\.\d+ \(.+\)$/gm);
    // the CLI's three, then pg and what it requires, split2 among them (holding-pivot-sync)
    const pg = ['pg', 'pg-cloudflare', 'pg-connection-string', 'pg-int8', 'pg-pool', 'pg-protocol', 'pg-types', 'pgpass'];
    const pgTypes = ['postgres-array', 'postgres-bytea', 'postgres-date', 'postgres-interval', 'xtend'];
    const expected = ['commander', 'csv-stringify', ...pg, ...pgTypes, 'split2', 'zod'].sort().map((name) => {
      const { version, license } = JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string; license: string };
      return `${name} ${version} (${license})`;
    });
    expect(headings).toEqual(expected);
  });
});
