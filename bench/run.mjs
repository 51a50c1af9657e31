// holding-pivot's benchmark: throughput, peak memory and start-up against reference commands.
// Method (bench/README.md): every command reads the same generated events from a file on stdin,
// stdout to /dev/null; one warm-up each, which is also the check (exit 0, the expected rows, and
// for jq the same values as holding-pivot); then the commands take turns, so a ratio is taken
// between runs of the same turn. A command whose output is wrong is reported broken, not timed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { formatSummary, summarise } from './profile-top.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', '.data');
const GNU_TIME = '/usr/bin/time';
const HP = join(ROOT, 'bin', 'holding-pivot.js');

const USAGE = `usage: npm run bench -- [options]    (STREAM_PY=path/to/stream.py adds the tutorial's consumer)
  --count N         events per input (default 200000)
  --runs N          timed runs per command after the warm-up (default 5)
  --ref-runs N      timed runs of the slow references, jq and stream.py (default 3)
  --rss-count N     a smaller input, for peak RSS only (default 20000)
  --startup-runs N  runs of each start-up command (default 20)
  --small-runs N    pairs of each small-run comparison, 1,000 to 40,000 events (default 10)
  --quick           --count 20000 --runs 3 --rss-count 2000 --startup-runs 10, unless given
  --no-jq           leave out jq
  --no-duckdb       leave out DuckDB
  --profile         also node --cpu-prof holding-pivot on both inputs
  --check           exit 1 when a target is missed (otherwise misses are only reported)
  --baseline BIN    also time another build (a copy of bin/ and dist/ made before a change) in the
                    same turns: its column is the change's cost`;

const log = (text) => process.stderr.write(`${text}\n`);
function fail(message) {
  log(`bench: ${message}`);
  process.exit(2);
}

function options() {
  const numbers = { count: 200_000, runs: 5, 'ref-runs': 3, 'rss-count': 20_000, 'startup-runs': 20, 'small-runs': 10 };
  const quick = { count: 20_000, runs: 3, 'rss-count': 2_000, 'startup-runs': 10, 'small-runs': 3 };
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
  return { ...o, jq: !values['no-jq'], duckdb: !values['no-duckdb'], profile: values.profile === true, check: values.check === true, baseline: values.baseline === undefined ? null : resolve(values.baseline) };
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
const python3 = () => spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim() || fail('python3 does not run');

function commands(opts, data) {
  const node = process.execPath;
  const naive = join(ROOT, 'bench', 'naive-loop.mjs');
  const list = [
    { id: 'hp', name: 'holding-pivot', cmd: node, args: [HP], compare: true },
    { id: 'naive', name: 'naive Node loop', cmd: node, args: [naive] },
    // Not a target: how close to the naive loop csv-stringify alone lets any converter come.
    { id: 'naivecsv', name: 'naive loop + csv-stringify', cmd: node, args: [naive, '--csv-stringify'] },
  ];
  if (opts.baseline) list.push({ id: 'base', name: 'holding-pivot (baseline)', cmd: node, args: [opts.baseline], compare: true });
  const duckdb = [join(ROOT, 'bench', 'duckdb-pivot.mjs'), data.file, ...(data.envelope ? ['--envelope'] : [])];
  if (opts.duckdb) list.push({ id: 'duckdb', name: 'DuckDB', cmd: node, args: duckdb, compare: true });
  if (opts.jq) list.push({ id: 'jq', name: 'jq', cmd: 'jq', args: ['-R', '-r', '-f', join(ROOT, 'bench', 'pivot.jq')], compare: true, slow: true });
  // stream.py crashes on a tombstone's empty line: it reads the same events without them.
  if (process.env.STREAM_PY && data.envelope) list.push({ id: 'py', name: 'stream.py', cmd: python3(), args: ['-u', resolve(process.env.STREAM_PY)], noTombstones: true, slow: true });
  return list;
}

/** One run with a file on stdin: wall seconds, peak RSS in KiB and CPU seconds (GNU time), status. */
function runOnce(command, stdinPath, { stdoutPath, rss = true } = {}) {
  return new Promise((done, reject) => {
    const fd = openSync(stdinPath, 'r');
    const out = stdoutPath === undefined ? 'ignore' : openSync(stdoutPath, 'w');
    const timeFile = join(tmpdir(), `bench-time-${process.pid}`);
    const timed = rss && existsSync(GNU_TIME);
    const [cmd, args] = timed ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command.cmd, ...command.args]] : [command.cmd, command.args];
    let stderr = '';
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [fd, out, 'pipe'] });
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(0, 400)));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      closeSync(fd);
      if (out !== 'ignore') closeSync(out);
      let kib = null;
      let cpu = null;
      if (timed) {
        // GNU time's last line; a line before it reports a non-zero status.
        const [maxrss, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rmSync(timeFile, { force: true });
        [kib, cpu] = [maxrss, user + sys];
      }
      done({ seconds, kib, cpu, status: signal ?? status, stderr: stderr.trim() });
    });
  });
}

/**
 * The warm-up, which checks the output: exit 0 and the expected row count; for the commands that
 * write holding-pivot's values (CSV), a digest of every row without datetime_inserted (the one
 * column that depends on when it ran), NULL (an unquoted empty field) and '' kept apart. The naive
 * loop quotes nothing, so only its lines are counted.
 */
async function verify(command, path, expectedRows) {
  let rows = 0;
  const digest = createHash('sha256');
  const readRows = (stdout) => {
    if (!command.compare) {
      stdout.on('data', (chunk) => {
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
      });
      return new Promise((done) => stdout.on('end', () => done(null)));
    }
    const parser = stdout.pipe(parse({ cast: (value, { quoting }) => (value === '' && !quoting ? null : value) }));
    parser.on('data', (row) => {
      rows++;
      digest.update(`${JSON.stringify(row.toSpliced(8, 1))}\n`);
    });
    return new Promise((done) =>
      parser.on('end', () => done(null)).on('error', (error) => {
        stdout.destroy();
        done(error);
      }),
    );
  };
  // Into a file, read after the run: DuckDB's COPY opens /dev/stdout, which fails on a socket (what
  // a spawned child's 'pipe' is).
  const output = join(tmpdir(), `bench-output-${process.pid}`);
  const result = await runOnce(command, path, { stdoutPath: output });
  const parseError = await readRows(createReadStream(output));
  rmSync(output, { force: true });
  const problems = [];
  if (result.status !== 0) problems.push(`exit status ${result.status} ${result.stderr}`.trim());
  if (parseError) problems.push(`not CSV: ${parseError.message}`);
  if (rows !== expectedRows) problems.push(`${rows} rows, expected ${expectedRows}`);
  return { problems, digest: command.compare ? digest.digest('hex') : null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Warm up and check every command, then time them in turns. */
async function throughput(opts, data) {
  const results = new Map();
  let reference = null;
  for (const command of commands(opts, data)) {
    const path = command.noTombstones ? data.noTombstones : data.file;
    log(`  ${data.kind}: warm-up and check: ${command.name}`);
    const { problems, digest } = await verify(command, path, data.meta.expectedRows);
    if (command.compare) reference ??= digest;
    if (command.compare && digest !== reference) problems.push("its values differ from holding-pivot's");
    for (const p of problems) log(`  ! ${command.name}: ${p}`);
    results.set(command.id, { command, path, problems, runs: [] });
  }
  for (let turn = 1; turn <= opts.runs; turn++) {
    for (const r of results.values()) {
      if (r.problems.length > 0 || (r.command.slow && turn > opts.refRuns)) continue;
      const once = await runOnce(r.command, r.path);
      if (once.status !== 0) r.problems.push(`turn ${turn}: exit status ${once.status}`);
      r.runs.push({ ...once, turn });
    }
    log(`  ${data.kind}: turn ${turn}/${opts.runs}`);
  }
  for (const r of results.values()) {
    if (r.runs.length === 0) continue;
    r.seconds = median(r.runs.map((x) => x.seconds));
    r.rssMb = r.runs[0].kib === null ? null : median(r.runs.map((x) => x.kib)) / 1024;
    r.cpu = r.runs[0].cpu === null ? null : median(r.runs.map((x) => x.cpu));
  }
  return results;
}

/**
 * How many times faster `base` (holding-pivot) is than another command: the median over the turns
 * both ran in of the other's time over base's. null when one was not run, NaN when one is broken.
 */
function paired(results, id, base = 'hp') {
  const [a, b] = [results.get(base), results.get(id)];
  if (!a || !b) return null;
  if (a.problems.length > 0 || b.problems.length > 0) return NaN;
  const mine = new Map(a.runs.map((x) => [x.turn, x.seconds]));
  return median(b.runs.filter((x) => mine.has(x.turn)).map((x) => x.seconds / mine.get(x.turn)));
}

/** Peak RSS of holding-pivot alone (the memory-is-flat check). */
async function peakRss(opts, data) {
  const hp = commands(opts, data)[0];
  const { problems } = await verify(hp, data.file, data.meta.expectedRows);
  if (problems.length > 0) return NaN;
  const kib = [];
  for (let i = 0; i < 3; i++) kib.push((await runOnce(hp, data.file)).kib);
  return kib.includes(null) ? null : median(kib) / 1024;
}

/** Median wall time of `node -e 0` and `holding-pivot --version`, in turns, after 2 warm-ups. */
async function startup(opts) {
  const pair = [[process.execPath, ['-e', '0']], [process.execPath, [HP, '--version']]].map(([cmd, args]) => ({ cmd, args, times: [] }));
  for (let i = -2; i < opts.startupRuns; i++) {
    for (const c of pair) {
      const r = await runOnce(c, '/dev/null', { rss: false });
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
  const cases = [['1,000 events: holding-pivot / its --version, ≤ 1.5×', 1000, hp, () => ({ cmd: process.execPath, args: [HP, '--version'], stdin: '/dev/null' }), (a, b) => a / b, (v) => v <= 1.5]];
  if (process.env.STREAM_PY) {
    cases.push(
      ['10,000 events: stream.py / holding-pivot, ≥ 1.5×', 10_000, hp, py, (a, b) => b / a, (v) => v >= 1.5],
      ['40,000 events: stream.py / holding-pivot, ≥ 3×', 40_000, hp, py, (a, b) => b / a, (v) => v >= 3],
    );
  }
  const results = [];
  for (const [what, count, mine, other, ratio, bar] of cases) {
    const data = input(count, true);
    const pair = [mine(data), other(data)];
    const seconds = async (command) => {
      const r = await runOnce(command, command.stdin, { rss: false });
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
    results.push({ what: `${what} (median of ${opts.smallRuns} pairs)`, value: median(ratios), bar });
  }
  return results;
}

async function profile(data) {
  const dir = join(DATA, 'profiles');
  const name = `holding-pivot-${data.meta.events}-${data.kind}.cpuprofile`;
  const r = await runOnce({ cmd: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, HP] }, data.file, { rss: false });
  if (r.status !== 0) fail(`the profiling run exited with status ${r.status}`);
  return formatSummary(summarise(JSON.parse(readFileSync(join(dir, name), 'utf8')), 15), `${data.kind}, wall ${r.seconds.toFixed(2)} s`);
}

const x = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${n.toFixed(n >= 10 ? 1 : 2)}×`);
const mb = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${n.toFixed(0)} MB`);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

function report(opts, sets, rss, [nodeStart, hpStart], small, loads) {
  const rows = ['| input | command | events/s | wall s (min–max) | CPU s | peak RSS | holding-pivot vs it |', '|---|---|--:|--:|--:|--:|--:|'];
  for (const { data, results } of sets) {
    for (const r of results.values()) {
      if (r.problems.length > 0) rows.push(`| ${data.kind} | ${r.command.name} | broken: ${r.problems[0]} | | | | |`);
      else {
        const walls = r.runs.map((run) => run.seconds);
        const wall = `${r.seconds.toFixed(2)} (${Math.min(...walls).toFixed(2)}–${Math.max(...walls).toFixed(2)})`;
        const rate = Math.round(data.meta.events / r.seconds).toLocaleString('en-US');
        rows.push(`| ${data.kind} | ${r.command.name} | ${rate} | ${wall} | ${r.cpu?.toFixed(2) ?? 'n/a'} | ${mb(r.rssMb)} | ${r.command.id === 'hp' ? '—' : x(paired(results, r.command.id))} |`);
      }
    }
  }
  const [env, bare] = sets.map((s) => s.results);
  const hpBroken = (results) => (results.get('hp').problems.length > 0 ? NaN : null);
  // Each target: what, the measured value (null: not measured; NaN: broken output, which fails), the bar.
  const targets = [
    ['enveloped: ≥ 5× stream.py', paired(env, 'py'), (v) => v >= 5, x],
    ['enveloped: faster than DuckDB', paired(env, 'duckdb'), (v) => v > 1, x],
    ['schema-less: faster than DuckDB', paired(bare, 'duckdb'), (v) => v > 1, x],
    ['enveloped: ≥ 6× jq', paired(env, 'jq'), (v) => v >= 6, x],
    ['enveloped: faster than the naive Node loop', paired(env, 'naive'), (v) => v > 1, x],
    [`peak RSS < 120 MB at ${opts.count} events`, hpBroken(env) ?? env.get('hp').rssMb, (v) => v < 120, mb],
    [`peak RSS < 120 MB at ${opts.rssCount} events`, rss, (v) => v < 120, mb],
    ['start-up: --version ≤ 1.5× node -e 0', hpStart / nodeStart, (v) => v <= 1.5, x],
    ...small.map((r) => [r.what, r.value, r.bar, x]),
  ].map(([what, value, ok, show]) => ({ what, value, show, result: value === null ? 'SKIP' : !Number.isNaN(value) && ok(value) ? 'PASS' : 'FAIL' }));
  const { events, bytes } = sets[0].data.meta;
  const lines = [
    `${events} events a run (enveloped ${(bytes / 1e6).toFixed(0)} MB, schema-less ${(sets[1].data.meta.bytes / 1e6).toFixed(0)} MB); ` +
      `median of ${opts.runs} turns${opts.refRuns < opts.runs ? ` (jq, stream.py: ${opts.refRuns})` : ''}; Node ${process.version}, ${cpus().length} CPUs, load ${loads.join(' → ')}.`,
    '',
    ...rows,
    '',
    `Start-up (median of ${opts.startupRuns}): node -e 0 ${(nodeStart * 1000).toFixed(0)} ms, holding-pivot --version ${(hpStart * 1000).toFixed(0)} ms. ` +
      `naive loop + csv-stringify vs the naive loop: ${x(paired(env, 'naive', 'naivecsv'))} enveloped, ${x(paired(bare, 'naive', 'naivecsv'))} schema-less.`,
    '',
    '| target | measured | |',
    '|---|--:|---|',
    ...targets.map((t) => `| ${t.what} | ${t.value === null || Number.isNaN(t.value) ? 'n/a' : t.show(t.value)} | ${t.result} |`),
  ];
  return { text: lines.join('\n'), missed: targets.some((t) => t.result === 'FAIL') };
}

const opts = options();
if (!existsSync(join(ROOT, 'dist', 'main.js'))) fail('dist/ is missing: run npm run build first (npm run bench does)');
if (!existsSync(GNU_TIME)) log(`bench: no ${GNU_TIME} (Debian package time): peak RSS and CPU time are not measured`);
if (process.env.STREAM_PY && !existsSync(process.env.STREAM_PY)) fail(`STREAM_PY=${process.env.STREAM_PY} does not exist`);
const loads = [load()];
const inputs = [input(opts.count, true), input(opts.count, false)];
const sets = [];
for (const data of inputs) sets.push({ data, results: await throughput(opts, data) });
log('  peak RSS on the smaller input, start-up …');
const rss = opts.rssCount === opts.count ? sets[0].results.get('hp').rssMb : await peakRss(opts, input(opts.rssCount, true));
const start = await startup(opts);
const small = await smallRuns(opts);
const profiles = [];
if (opts.profile) for (const data of inputs) profiles.push(await profile(data));
loads.push(load());
const { text, missed } = report(opts, sets, rss, start, small, loads);
process.stdout.write(`${[text, ...profiles].join('\n\n')}\n`);
if (opts.check && missed) process.exitCode = 1;
