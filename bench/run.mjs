// holding-pivot's benchmark: throughput, peak memory and start-up against reference commands, and
// every target of issue #13 reported as met or missed, in one run.
// Method (bench/README.md): every command reads the same generated events, from a file on stdin or
// through a pipe from cat, stdout to /dev/null; one warm-up each, which is also the check (exit 0,
// the expected rows, and for the CSV writers the same values as holding-pivot); then the commands
// take turns, so a ratio is taken between runs of the same turn. A command whose output is wrong is
// reported broken, not timed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, summarise } from './profile-top.mjs';
import { median, report } from './report.mjs';
import { GNU_TIME, hasGnuTime, runOnce, verify } from './timed-run.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', '.data');
const HP = join(ROOT, 'bin', 'holding-pivot.js');

const USAGE = `usage: npm run bench -- [options]    (STREAM_PY=path/to/stream.py adds the tutorial's consumer)
  --count N           the main table's input, enveloped and schema-less, with every reference
                      (default 200000)
  --small-count N     enveloped, against stream.py, and the base of peak RSS's growth (default 100000)
  --large-count N     enveloped and schema-less, against DuckDB and stream.py (default 1000000)
  --runs N            timed turns at --small-count and --count (default 5)
  --large-runs N      timed turns at --large-count (default 3)
  --ref-runs N        turns the slow references (jq, stream.py) take part in, at most (default 3)
  --large-ref-runs N  the same at --large-count (default 1)
  --startup-runs N    runs of each start-up command (default 20)
  --small-runs N      pairs of each small-run comparison, 1,000 to 40,000 events (default 10)
  --quick             --small-count 5000 --count 10000 --large-count 20000 --runs 2 --large-runs 2
                      --ref-runs 1 --startup-runs 5 --small-runs 2, unless given: checks that
                      everything works, its ratios are not the targets' figures
  --no-jq             leave out jq
  --no-duckdb         leave out DuckDB
  --profile           also node --cpu-prof holding-pivot on the --count inputs
  --check             exit 1 when a target is missed (otherwise misses are only reported)
  --baseline BIN      also time another build (a copy of bin/ and dist/ made before a change) in the
                      same turns: its rows are the change's cost`;

const log = (text) => process.stderr.write(`${text}\n`);
function fail(message) {
  log(`bench: ${message}`);
  process.exit(2);
}

function options() {
  const numbers = {
    count: 200_000, 'small-count': 100_000, 'large-count': 1_000_000, runs: 5, 'large-runs': 3,
    'ref-runs': 3, 'large-ref-runs': 1, 'startup-runs': 20, 'small-runs': 10,
  };
  const quick = {
    count: 10_000, 'small-count': 5_000, 'large-count': 20_000, runs: 2, 'large-runs': 2,
    'ref-runs': 1, 'startup-runs': 5, 'small-runs': 2,
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(numbers).map((name) => [name, { type: 'string' }])),
        baseline: { type: 'string' },
        ...Object.fromEntries(['quick', 'no-jq', 'no-duckdb', 'profile', 'check', 'help'].map((name) => [name, { type: 'boolean' }])),
      },
    }));
  } catch (error) {
    fail(`${error.message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const o = {};
  for (const [name, fallback] of Object.entries(numbers)) {
    const n = values[name] === undefined ? (values.quick ? (quick[name] ?? fallback) : fallback) : Number(values[name]);
    if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} expects a positive integer`);
    o[name.replace(/-(.)/g, (_, c) => c.toUpperCase())] = n;
  }
  return {
    ...o, quick: values.quick === true, jq: !values['no-jq'], duckdb: !values['no-duckdb'], profile: values.profile === true,
    check: values.check === true, baseline: values.baseline === undefined ? null : resolve(values.baseline),
  };
}

/** The events for a count and form, generated into bench/.data/ once per version of the generator. */
function input(count, envelope) {
  mkdirSync(DATA, { recursive: true });
  const hash = createHash('sha256');
  for (const file of ['bench/generate.ts', 'test/support/debezium-events.ts']) hash.update(readFileSync(join(ROOT, file)));
  const kind = envelope ? 'envelope' : 'bare';
  const stem = `holding-${count}-${kind}`;
  const base = join(DATA, `${stem}-${hash.digest('hex').slice(0, 10)}`);
  const paths = { file: `${base}.jsonl`, noTombstones: `${base}.notomb.jsonl`, meta: `${base}.meta.json` };
  if (!Object.values(paths).every((p) => existsSync(p))) {
    for (const f of readdirSync(DATA)) if (f.startsWith(`${stem}-`)) rmSync(join(DATA, f));
    log(`generating ${count} ${kind} events …`);
    const args = ['bench/generate.ts', '--count', String(count), '--out', paths.file, ...(envelope ? ['--envelope'] : [])];
    if (spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: ROOT, stdio: 'inherit' }).status !== 0) fail('the generator failed');
  }
  return { ...paths, kind: envelope ? 'enveloped' : 'schema-less', envelope, meta: JSON.parse(readFileSync(paths.meta, 'utf8')) };
}

/** The real interpreter behind python3, so a pyenv shim's start-up is not counted against stream.py. */
let interpreter;
const python3 = () =>
  (interpreter ??= spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim() || fail('python3 does not run'));

/**
 * holding-pivot and the --baseline build, each with whether it has --threads (the parallel path):
 * a build without it runs no scaling commands, and the targets that need them are skipped.
 */
function builds(opts) {
  const list = [{ id: 'hp', name: 'holding-pivot', bin: HP }];
  if (opts.baseline) list.push({ id: 'base', name: 'holding-pivot (baseline)', bin: opts.baseline });
  return list.map((b) => {
    const help = spawnSync(process.execPath, [b.bin, '--help'], { encoding: 'utf8' });
    if (help.status !== 0) fail(`${b.bin} --help exited with status ${help.status}`);
    return { ...b, threads: /--threads\b/.test(help.stdout) };
  });
}

/**
 * What runs on an input. Every size: holding-pivot from the file and through a pipe, and on
 * enveloped events --threads 1 and 2 (the scaling curve). The main table's size adds the naive
 * loops and jq; the two larger sizes DuckDB; the small and large enveloped inputs stream.py, from
 * the file and through a pipe.
 */
function commands(opts, data, role, buildList) {
  const node = process.execPath;
  const naive = join(ROOT, 'bench', 'naive-loop.mjs');
  const list = [];
  for (const b of buildList) {
    list.push({ id: b.id, name: b.name, cmd: node, args: [b.bin], compare: true });
    list.push({ id: `${b.id}|pipe`, name: `${b.name}, pipe`, cmd: node, args: [b.bin], compare: true, pipe: true });
    if (data.envelope && b.threads) {
      for (const n of [1, 2]) list.push({ id: `${b.id}-t${n}`, name: `${b.name} --threads ${n}`, cmd: node, args: [b.bin, '--threads', String(n)], compare: true });
    }
  }
  if (role === 'mid') {
    list.push({ id: 'naive', name: 'naive Node loop', cmd: node, args: [naive] });
    // Not a target: how close to the naive loop csv-stringify alone lets any converter come.
    list.push({ id: 'naivecsv', name: 'naive loop + csv-stringify', cmd: node, args: [naive, '--csv-stringify'] });
    if (opts.jq) list.push({ id: 'jq', name: 'jq', cmd: 'jq', args: ['-R', '-r', '-f', join(ROOT, 'bench', 'pivot.jq')], compare: true, slow: true });
  }
  if (role !== 'small' && opts.duckdb) {
    // By its path, as a DuckDB user would, so its reader can split the file between threads: the
    // pipe's targets are measured against this, DuckDB's best case.
    const args = [join(ROOT, 'bench', 'duckdb-pivot.mjs'), data.file, ...(data.envelope ? ['--envelope'] : [])];
    list.push({ id: 'duckdb', name: 'DuckDB', cmd: node, args, compare: true });
  }
  // stream.py crashes on a tombstone's empty line: it reads the same events without them.
  if (role !== 'mid' && data.envelope && process.env.STREAM_PY) {
    const py = { cmd: python3(), args: ['-u', resolve(process.env.STREAM_PY)], noTombstones: true, slow: true };
    list.push({ id: 'py', name: 'stream.py', ...py }, { id: 'py|pipe', name: 'stream.py, pipe', ...py, pipe: true });
  }
  return list;
}

/** Warm up and check every command, then time them in turns. */
async function throughput(opts, data, role, buildList) {
  const [runs, refRuns] = role === 'large' ? [opts.largeRuns, opts.largeRefRuns] : [opts.runs, opts.refRuns];
  const label = `${data.kind} ${data.meta.events}`;
  const results = new Map();
  let reference = null;
  for (const command of commands(opts, data, role, buildList)) {
    const path = command.noTombstones ? data.noTombstones : data.file;
    log(`  ${label}: warm-up and check: ${command.name}`);
    const { problems, digest } = await verify(command, path, data.meta.expectedRows);
    if (command.compare) reference ??= digest;
    if (command.compare && digest !== reference) problems.push("its values differ from holding-pivot's");
    for (const p of problems) log(`  ! ${command.name}: ${p}`);
    results.set(command.id, { command, path, problems, runs: [] });
  }
  for (let turn = 1; turn <= runs; turn++) {
    // Every other turn backwards, so no command always runs just after the same one.
    const order = [...results.values()];
    for (const r of turn % 2 === 1 ? order : order.reverse()) {
      if (r.problems.length > 0 || (r.command.slow && turn > refRuns)) continue;
      const once = await runOnce(r.command, r.path);
      if (once.status !== 0) r.problems.push(`turn ${turn}: exit status ${once.status}`);
      r.runs.push({ ...once, turn });
    }
    log(`  ${label}: turn ${turn}/${runs}`);
  }
  for (const r of results.values()) {
    if (r.runs.length === 0) continue;
    const of = (key) => (r.runs[0][key] === null ? null : median(r.runs.map((x) => x[key])));
    [r.seconds, r.cpu, r.catCpu] = [of('seconds'), of('cpu'), of('catCpu')];
    // The highest of the runs: a target says "stays under".
    r.rssMb = r.runs[0].kib === null ? null : Math.max(...r.runs.map((x) => x.kib)) / 1024;
  }
  return results;
}

/** Median wall time of `node -e 0` and `holding-pivot --version`, in turns, after 2 warm-ups. */
async function startup(opts) {
  const pair = [[process.execPath, ['-e', '0']], [process.execPath, [HP, '--version']]].map(([cmd, args]) => ({ cmd, args, times: [] }));
  for (let i = -2; i < opts.startupRuns; i++) {
    for (const c of pair) {
      const r = await runOnce(c, '/dev/null', { timed: false });
      if (r.status !== 0) fail(`${c.args.join(' ')} exited with status ${r.status}`);
      if (i >= 0) c.times.push(r.seconds);
    }
  }
  return pair.map((c) => median(c.times));
}

/**
 * Small runs, where start-up and warm-up weigh most: the two commands of a case alternate (which
 * goes first too) after a warm-up each, and the figure is the median over the pairs of the ratio
 * the target states. stream.py (with STREAM_PY) reads the same events without tombstones.
 */
async function smallRuns(opts) {
  const hp = (data) => ({ cmd: process.execPath, args: [HP], stdin: data.file });
  const py = (data) => ({ cmd: python3(), args: ['-u', resolve(process.env.STREAM_PY)], stdin: data.noTombstones });
  // [what, events, holding-pivot's command, the other, the ratio from their times, the bar]
  const version = () => ({ cmd: process.execPath, args: [HP, '--version'], stdin: '/dev/null' });
  const cases = [
    ['1,000 events: holding-pivot / its --version, ≤ 1.5×', 1000, hp, version, (a, b) => a / b, (v) => v <= 1.5],
    ['10,000 events: stream.py / holding-pivot, ≥ 1.5×', 10_000, hp, py, (a, b) => b / a, (v) => v >= 1.5],
    ['40,000 events: stream.py / holding-pivot, ≥ 3×', 40_000, hp, py, (a, b) => b / a, (v) => v >= 3],
  ];
  const results = [];
  for (const [what, count, mine, other, ratio, bar] of cases) {
    if (other === py && !process.env.STREAM_PY) {
      results.push({ what, ratios: null, bar });
      continue;
    }
    const data = input(count, true);
    const pair = [mine(data), other(data)];
    const seconds = async (command) => {
      const r = await runOnce(command, command.stdin, { timed: false });
      if (r.status !== 0) fail(`${command.cmd} ${command.args.join(' ')} exited with status ${r.status}`);
      return r.seconds;
    };
    for (const command of pair) await seconds(command);
    const ratios = [];
    for (let i = 0; i < opts.smallRuns; i++) {
      const t = new Map();
      for (const command of i % 2 === 0 ? pair : [...pair].reverse()) t.set(command, await seconds(command));
      ratios.push(ratio(t.get(pair[0]), t.get(pair[1])));
    }
    log(`  small runs: ${what}`);
    results.push({ what: `${what} (${opts.smallRuns} pairs)`, ratios, bar });
  }
  return results;
}

async function profile(data) {
  const dir = join(DATA, 'profiles');
  const name = `holding-pivot-${data.meta.events}-${data.kind}.cpuprofile`;
  const r = await runOnce({ cmd: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, HP] }, data.file, { timed: false });
  if (r.status !== 0) fail(`the profiling run exited with status ${r.status}`);
  return formatSummary(summarise(JSON.parse(readFileSync(join(dir, name), 'utf8')), 15), `${data.kind}, wall ${r.seconds.toFixed(2)} s`);
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

const started = process.hrtime.bigint();
const opts = options();
if (!existsSync(join(ROOT, 'dist', 'main.js'))) fail('dist/ is missing: run npm run build first (npm run bench does)');
if (!hasGnuTime) log(`bench: no ${GNU_TIME} (Debian package time): peak RSS and CPU time are not measured`);
if (process.env.STREAM_PY && !existsSync(process.env.STREAM_PY)) fail(`STREAM_PY=${process.env.STREAM_PY} does not exist`);
const buildList = builds(opts);
for (const b of buildList) if (!b.threads) log(`bench: ${b.name} has no --threads: its scaling commands are left out`);
const loads = [load()];
const plan = [['small', true], ['mid', true], ['mid', false], ['large', true], ['large', false]];
const counts = { small: opts.smallCount, mid: opts.count, large: opts.largeCount };
const sets = [];
for (const [role, envelope] of plan) {
  const data = input(counts[role], envelope);
  sets.push({ role, data, results: await throughput(opts, data, role, buildList) });
  loads.push(load());
}
log('  start-up, small runs …');
const start = await startup(opts);
const small = await smallRuns(opts);
const profiles = [];
if (opts.profile) for (const s of sets.filter((x) => x.role === 'mid')) profiles.push(await profile(s.data));
loads.push(load());
const minutes = Number(process.hrtime.bigint() - started) / 6e10;
const { text, missed } = report({ opts, sets, buildList, start, small, loads, minutes });
process.stdout.write(`${[text, ...profiles].join('\n\n')}\n`);
if (opts.check && missed) process.exitCode = 1;
// A command whose output is wrong is a bug, whatever the targets: the smoke test in CI relies on it.
const broken = sets.flatMap((s) => [...s.results.values()].filter((r) => r.problems.length > 0).map((r) => `${r.command.name} (${s.data.kind} ${s.data.meta.events})`));
if (broken.length > 0) {
  log(`bench: broken, their output wrong or their exit status not 0: ${broken.join(', ')}`);
  process.exitCode = 1;
}
