// Bundles the CLI into dist/ for bin/holding-pivot.js, and the sync into dist/sync.js for
// bin/holding-pivot-sync.js. Start-up is most of a short run: loading the
// ES modules of zod, commander and the rest one by one cost about 90 ms more than one bundle with
// the converter split off into a chunk (main.js answers --help and --version without it).
// The bundle holds every runtime package, so the installed package depends on nothing; their
// licences go into dist/THIRD-PARTY-NOTICES, which ships beside the code that needs them.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageJsonPath = `${root}package.json`;
const { name, version } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));

// src/cli/args.ts imports package.json for --version; the bundle gets the version and nothing else.
const versionOnly = {
  name: 'version-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, (args) =>
      args.path === packageJsonPath ? { contents: JSON.stringify({ version }), loader: 'json' } : undefined,
    );
  },
};

rmSync(`${root}dist`, { recursive: true, force: true });
const common = {
  outdir: `${root}dist`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // commander is CommonJS and requires Node's built-ins: give the bundle a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [versionOnly],
  metafile: true,
  logLevel: 'warning',
};
// The conversion threads' script, dist/worker.js, shares the converter's chunks with main.js.
const cli = await build({
  ...common,
  entryPoints: { main: `${root}src/cli/main.ts`, worker: `${root}src/cli/conversion-worker.ts` },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The sync is built apart, into one file, so that the CLI's chunks stay exactly the CLI's.
// pg loads its optional libpq binding only when asked to; the sync never asks.
const sync = await build({ ...common, entryPoints: { sync: `${root}src/sync/main.ts` }, external: ['pg-native'] });
const metafile = { inputs: { ...cli.metafile.inputs, ...sync.metafile.inputs } };

/** A package's licence: its licence file, else the licence section of its README (pg-types, pgpass). */
function licenceText(pkg, dir) {
  const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'license'].find((f) => existsSync(dir + f));
  if (file !== undefined) return readFileSync(dir + file, 'utf8').trim();
  const readme = existsSync(`${dir}README.md`) ? readFileSync(`${dir}README.md`, 'utf8') : '';
  const section = /^#+ *licen[cs]e *\n([\s\S]*?)(?=^#|(?![\s\S]))/im.exec(readme)?.[1].trim();
  if (!section) throw new Error(`${pkg} has no licence file or README licence section to carry into dist/THIRD-PARTY-NOTICES`);
  return section;
}

const bundled = [
  ...new Set(Object.keys(metafile.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? [])),
].sort();
const notices = bundled.map((pkg) => {
  const dir = `${root}node_modules/${pkg}/`;
  const manifest = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));
  return `${manifest.name} ${manifest.version} (${manifest.license})\n\n${licenceText(pkg, dir)}\n`;
});
writeFileSync(
  `${root}dist/THIRD-PARTY-NOTICES`,
  `${name} ${version} bundles the following packages into dist/. Their licences:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`,
);
// The CSV options on their own, for bench/naive-loop.mjs to write CSV exactly as holding-pivot does
// (a separate build, so main.js, which answers --help at start-up, loads no chunk more for it).
await build({ ...common, entryPoints: { 'csv-options': `${root}src/cli/csv-options.ts` } });
