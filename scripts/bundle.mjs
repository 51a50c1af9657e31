// Bundles the CLI into dist/ for bin/holding-pivot.js. Start-up is most of a short run: loading the
// ES modules of zod, commander and the rest one by one cost about 90 ms more than one bundle with
// the converter split off into a chunk (main.js answers --help and --version without it).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir: new URL('../dist', import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // commander is CommonJS and requires Node's built-ins: give the bundle a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The CSV options on their own, for bench/naive-loop.mjs to write CSV exactly as holding-pivot does
// (a separate build, so main.js, which answers --help at start-up, loads no chunk more for it).
await build({
  entryPoints: [new URL('../src/cli/csv-options.ts', import.meta.url).pathname],
  outfile: new URL('../dist/csv-options.js', import.meta.url).pathname,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
