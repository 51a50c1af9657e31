// npm runs `prepare` after `npm install` in a checkout and before `npm pack`, and also in the
// package's own folder when it is installed from that folder (`npm install -g .`, `npx <folder>`)
// or deployed with `npm ci --omit=dev`. Those last three come without devDependencies, which the
// build needs (esbuild, tsc, and the packages the bundle holds): then, as npm does for a git
// dependency, build in a temporary copy that has them, and bring back only dist/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { devDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The install that runs this script passes its settings down as npm_config_* variables: a nested
// npm must not inherit the ones that would make it global, move its prefix or omit dev again.
const OUTER_INSTALL = /^npm_config_(global|location|prefix|global_prefix|local_prefix|omit|include|production|only|dev|install_links|dry_run|allow_scripts)$/i;
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OUTER_INSTALL.test(key)));
// Its output goes to stderr: `npm pack` prints the tarball's name on stdout for scripts to read.
function npm(cwd, ...args) {
  const { status } = spawnSync('npm', args, { cwd, env, stdio: ['ignore', 2, 2] });
  if (status !== 0) throw new Error(`npm ${args.join(' ')} failed with status ${status} in ${cwd}`);
}

const hasDevDependencies = Object.keys(devDependencies).every((dep) => existsSync(join(root, 'node_modules', dep, 'package.json')));
if (hasDevDependencies) {
  npm(root, 'run', 'build');
} else {
  const work = mkdtempSync(join(tmpdir(), 'holding-pivot-build-'));
  try {
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts']) {
      cpSync(join(root, entry), join(work, entry), { recursive: true });
    }
    console.error('holding-pivot: building dist/ in a temporary folder with the devDependencies (this install omits them)');
    npm(work, 'ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error');
    npm(work, 'run', 'build');
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    cpSync(join(work, 'dist'), join(root, 'dist'), { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
