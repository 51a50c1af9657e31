// holding-pivot's benchmark: throughput, peak memory and start-up against reference commands.
//
//   npm run bench [-- --runs N --count N --quick --check --profile]
//   STREAM_PY=../shared/seed/stream.py npm run bench
//
// Inputs: deterministic bank.holding events (bench/generate.ts, built on the tests' event builder),
// generated once per count into bench/.data/. Every command reads the same events from a file on
// stdin, its stdout going to /dev/null; the commands take turns (A B C A B C …) after one warm-up
// each. The warm-up is also the check: its output is counted (and for jq compared with
// holding-pivot's, row by row), so a broken command cannot look fast. Peak RSS is GNU time's %M
// (the child's ru_maxrss from wait4), wall time is measured around the child by this process.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, summarise } from './profile-top.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', '.data');
const GNU_TIME = '/usr/bin/time';

// ---------------------------------------------------------------- options

const USAGE = `usage: node bench/run.mjs [options]
  --count N          events per input (default 200000)
  --runs N           timed runs per command, after one warm-up (default 5)
  --ref-runs N       timed runs of the slow references, jq and stream.py (default 3, at most --runs)
  --rss-count N      the smaller input peak RSS is also measured on (default 20000)
  --startup-runs N   runs of each start-up command (default 20)
  --quick            a small run: --count 20000 --runs 3 --rss-count 2000 --startup-runs 10
  --no-jq            leave out the jq reference (the slowest after stream.py)
  --profile          also profile holding-pivot with node --cpu-prof on both inputs
  --check            exit 1 when a target is missed (otherwise misses are only reported)
  --baseline BIN     also time another build of holding-pivot (e.g. a copy of bin/ and dist/ made
                     before a change), in the same turns: its column gives the change's cost
environment: STREAM_PY=path/to/stream.py adds the seed's consumer (python3 -u) to the enveloped runs`;

function options(argv) {
  const o = { count: 200_000, runs: 5, refRuns: 3, rssCount: 20_000, startupRuns: 20, jq: true, profile: false, check: false, baseline: null };
  const number = (i) => {
    const n = Number(argv[i]);
    if (!Number.isSafeInteger(n) || n < 1) fail(`${argv[i - 1]} expects a positive integer\n${USAGE}`);
    return n;
  };
  const given = new Set();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    given.add(a);
    if (a === '--count') o.count = number(++i);
    else if (a === '--runs') o.runs = number(++i);
    else if (a === '--ref-runs') o.refRuns = number(++i);
    else if (a === '--rss-count') o.rssCount = number(++i);
    else if (a === '--startup-runs') o.startupRuns = number(++i);
    else if (a === '--quick') o.quick = true;
    else if (a === '--no-jq') o.jq = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--check') o.check = true;
    else if (a === '--baseline') o.baseline = resolve(argv[++i] ?? fail(`--baseline expects a path\n${USAGE}`));
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${a}\n${USAGE}`);
  }
  if (o.quick) {
    if (!given.has('--count')) o.count = 20_000;
    if (!given.has('--runs')) o.runs = 3;
    if (!given.has('--rss-count')) o.rssCount = 2_000;
    if (!given.has('--startup-runs')) o.startupRuns = 10;
  }
  return o;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const log = (text) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------- inputs

/** The generator's sources: a change to either makes new inputs. */
function generatorHash() {
  const h = createHash('sha256');
  for (const file of ['bench/generate.ts', 'test/support/debezium-events.ts']) h.update(readFileSync(join(ROOT, file)));
  return h.digest('hex').slice(0, 10);
}

/** The input for a count and form, generated into bench/.data/ unless it is there already. */
function input(count, envelope) {
  mkdirSync(DATA, { recursive: true });
  const kind = envelope ? 'envelope' : 'bare';
  const stem = `holding-${count}-${kind}`;
  const base = join(DATA, `${stem}-${generatorHash()}`);
  const paths = { file: `${base}.jsonl`, noTombstones: `${base}.notomb.jsonl`, meta: `${base}.meta.json` };
  if (!Object.values(paths).every((p) => existsSync(p))) {
    // Inputs of an older generator are dropped, not kept beside the new ones.
    for (const f of readdirSync(DATA)) if (f.startsWith(`${stem}-`)) rmSync(join(DATA, f));
    log(`generating ${count.toLocaleString('en-US')} ${kind} events into ${paths.file.slice(ROOT.length)} …`);
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const args = ['bench/generate.ts', '--count', String(count), '--out', paths.file, ...(envelope ? ['--envelope'] : [])];
    const r = spawnSync(tsx, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) fail(`the generator failed (${r.error?.message ?? `status ${r.status}`})`);
  }
  return { ...paths, kind, envelope, meta: JSON.parse(readFileSync(paths.meta, 'utf8')) };
}

// ---------------------------------------------------------------- commands

/** The real interpreter behind python3, so a pyenv shim's start-up is not counted against stream.py. */
function python3() {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  if (r.status !== 0) fail('STREAM_PY is set but python3 does not run');
  return r.stdout.trim();
}

function commands(opts, envelope) {
  const node = process.execPath;
  const list = [
    { id: 'hp', name: 'holding-pivot', cmd: node, args: [join(ROOT, 'bin', 'holding-pivot.js')], compare: true },
    { id: 'naive', name: 'naive Node loop', cmd: node, args: [join(ROOT, 'bench', 'naive-loop.mjs')] },
    // Not a target: how close to the naive loop csv-stringify alone lets any converter come.
    { id: 'naivecsv', name: 'naive loop + csv-stringify', cmd: node, args: [join(ROOT, 'bench', 'naive-loop.mjs'), '--csv-stringify'] },
  ];
  if (opts.baseline) list.push({ id: 'base', name: 'holding-pivot (baseline)', cmd: node, args: [opts.baseline], compare: true });
  // The slow references take part in the first --ref-runs turns only: a full run stays near 5 minutes.
  if (opts.jq) list.push({ id: 'jq', name: 'jq', cmd: 'jq', args: ['-R', '-r', '-f', join(ROOT, 'bench', 'pivot.jq')], compare: true, slow: true });
  const streamPy = process.env.STREAM_PY;
  if (streamPy && envelope) {
    // stream.py crashes on a tombstone's empty line: it reads the same events without them.
    list.push({ id: 'py', name: 'stream.py', cmd: python3(), args: ['-u', resolve(streamPy)], noTombstones: true, slow: true });
  }
  return list;
}

// ---------------------------------------------------------------- running

/**
 * Runs a command on a file as stdin. stdout goes to /dev/null, unless `onOutput` is given.
 * Returns the wall time in seconds, the peak RSS in KiB (null without GNU time) and the status.
 */
function runOnce(command, stdinPath, { onOutput, rss = true, extraArgs = [] } = {}) {
  return new Promise((done, reject) => {
    const fd = openSync(stdinPath, 'r');
    const rssFile = join(tmpdir(), `bench-rss-${process.pid}`);
    const useTime = rss && hasGnuTime;
    const [cmd, args] = useTime
      ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command.cmd, ...command.args, ...extraArgs]]
      : [command.cmd, [...command.args, ...extraArgs]];
    let stderr = '';
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [fd, onOutput ? 'pipe' : 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => {
      if (stderr.length < 4000) stderr += d;
    });
    if (onOutput) child.stdout.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      closeSync(fd);
      let kib = null;
      let cpu = null;
      if (useTime) {
        // GNU time writes "Command exited with non-zero status N" first when it is not 0.
        const text = readFileSync(rssFile, 'utf8').trim().split('\n');
        const [maxrss, user, sys] = (text[text.length - 1] ?? '').split(' ').map(Number);
        kib = Number.isFinite(maxrss) ? maxrss : null;
        cpu = Number.isFinite(user) && Number.isFinite(sys) ? user + sys : null;
        rmSync(rssFile, { force: true });
      }
      done({ seconds, kib, cpu, status: signal ? signal : status, stderr: stderr.trim() });
    });
  });
}

/** Splits CSV text into rows; keeps a partial row for the next chunk. Enough for one-line records. */
class CsvRows {
  constructor(onRow) {
    this.rest = '';
    this.onRow = onRow;
  }
  push(chunk) {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop();
    for (const line of lines) this.onRow(line);
  }
  end() {
    if (this.rest !== '') this.onRow(this.rest);
  }
}

/** A CSV record's cells: null for an empty unquoted field (SQL NULL), text otherwise. */
function cells(line) {
  const out = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const k = line.indexOf('"', j);
        if (k < 0) return null;
        if (line[k + 1] === '"') {
          value += line.slice(j, k + 1);
          j = k + 2;
        } else {
          value += line.slice(j, k);
          i = k + 1;
          break;
        }
      }
      out.push(value);
    } else {
      let k = line.indexOf(',', i);
      if (k < 0) k = line.length;
      const value = line.slice(i, k);
      out.push(value === '' ? null : value);
      i = k;
    }
    if (i >= line.length) return out;
    i++;
  }
}

/**
 * The warm-up run, which also checks the output: the row count, and for commands that write
 * holding-pivot's rows, a digest of every row without datetime_inserted (the one column that
 * depends on when it ran), so quoting differences do not count but any value does.
 */
async function verify(command, path, expectedRows) {
  let rows = 0;
  const digest = createHash('sha256');
  const sample = [];
  const parser = new CsvRows((line) => {
    rows++;
    if (!command.compare) return;
    const c = cells(line);
    if (c !== null) c.splice(8, 1);
    const text = JSON.stringify(c);
    digest.update(`${text}\n`);
    if (sample.length < 2000) sample.push(text);
  });
  const result = await runOnce(command, path, { onOutput: (d) => parser.push(d.toString('utf8')) });
  parser.end();
  const problems = [];
  if (result.status !== 0) problems.push(`exit status ${result.status}${result.stderr ? `: ${result.stderr.slice(0, 300)}` : ''}`);
  if (rows !== expectedRows) problems.push(`${rows} rows, expected ${expectedRows}`);
  return { ...result, rows, digest: command.compare ? digest.digest('hex') : null, sample, problems };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Warm-up and check every command, then time them in turns. */
async function throughput(opts, data) {
  const list = commands(opts, data.envelope);
  const results = new Map();
  let reference = null;
  for (const command of list) {
    const path = command.noTombstones ? data.noTombstones : data.file;
    log(`  ${data.kind}: warm-up and check: ${command.name}`);
    const v = await verify(command, path, data.meta.expectedRows);
    if (command.compare) {
      if (reference === null) reference = v;
      else if (v.digest !== reference.digest) {
        const at = v.sample.findIndex((row, i) => row !== reference.sample[i]);
        v.problems.push(
          at >= 0
            ? `row ${at + 1} differs from holding-pivot's: ${v.sample[at]} vs ${reference.sample[at]}`
            : 'rows differ from holding-pivot (after the first 2000)',
        );
      }
    }
    for (const p of v.problems) log(`  ! ${command.name}: ${p}`);
    results.set(command.id, { command, path, broken: v.problems.length > 0, problems: v.problems, rows: v.rows, runs: [] });
  }
  const timed = list.filter((c) => !results.get(c.id).broken);
  for (let run = 1; run <= opts.runs; run++) {
    const line = [];
    for (const command of timed) {
      if (command.slow && run > opts.refRuns) continue;
      const r = results.get(command.id);
      const once = await runOnce(command, r.path);
      if (once.status !== 0) {
        r.broken = true;
        r.problems.push(`run ${run}: exit status ${once.status}`);
      }
      r.runs.push({ ...once, turn: run });
      line.push(`${command.name} ${once.seconds.toFixed(2)} s`);
    }
    log(`  ${data.kind}: run ${run}/${opts.runs}: ${line.join(', ')}`);
  }
  for (const r of results.values()) {
    if (r.runs.length === 0) continue;
    const bytes = r.command.noTombstones ? data.meta.bytesWithoutTombstones : data.meta.bytes;
    r.seconds = median(r.runs.map((x) => x.seconds));
    r.eventsPerSecond = data.meta.events / r.seconds;
    r.mbPerSecond = bytes / 1e6 / r.seconds;
    const kib = r.runs.map((x) => x.kib).filter((x) => x !== null);
    r.rssMb = kib.length ? median(kib) / 1024 : null;
    r.rssMaxMb = kib.length ? Math.max(...kib) / 1024 : null;
    const cpu = r.runs.map((x) => x.cpu).filter((x) => x !== null);
    r.cpuSeconds = cpu.length ? median(cpu) : null;
  }
  return results;
}

/** Peak RSS of holding-pivot alone on another input (the memory-is-flat check). */
async function rssOnly(opts, data) {
  const hp = commands(opts, data.envelope)[0];
  const v = await verify(hp, data.file, data.meta.expectedRows);
  for (const p of v.problems) log(`  ! holding-pivot: ${p}`);
  const kib = [];
  for (let i = 0; i < Math.min(opts.runs, 3); i++) kib.push((await runOnce(hp, data.file)).kib);
  return kib.includes(null) ? null : { rssMb: median(kib) / 1024, rssMaxMb: Math.max(...kib) / 1024, broken: v.problems.length > 0 };
}

/** Median wall time of `node -e 0` and `holding-pivot --version`, taking turns. */
async function startup(opts) {
  const node = process.execPath;
  const pair = [
    { name: 'node -e 0', cmd: node, args: ['-e', '0'] },
    { name: 'holding-pivot --version', cmd: node, args: [join(ROOT, 'bin', 'holding-pivot.js'), '--version'] },
  ];
  const times = pair.map(() => []);
  for (let i = -2; i < opts.startupRuns; i++) {
    for (const [k, c] of pair.entries()) {
      const r = await runOnce(c, '/dev/null', { rss: false });
      if (r.status !== 0) fail(`${c.name} exited with status ${r.status}`);
      if (i >= 0) times[k].push(r.seconds);
    }
  }
  return { node: median(times[0]), hp: median(times[1]) };
}

/** node --cpu-prof on an input; the summary as markdown. */
async function profile(data) {
  const dir = join(DATA, 'profiles');
  mkdirSync(dir, { recursive: true });
  const name = `holding-pivot-${data.meta.events}-${data.kind}.cpuprofile`;
  const hp = { cmd: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, join(ROOT, 'bin', 'holding-pivot.js')] };
  log(`  profiling holding-pivot on ${data.kind} …`);
  const r = await runOnce(hp, data.file, { rss: false });
  if (r.status !== 0) fail(`profiling run exited with status ${r.status}`);
  const file = join(dir, name);
  return formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), 15), `${file.slice(ROOT.length)} (${data.kind}, wall ${r.seconds.toFixed(2)} s)`);
}

// ---------------------------------------------------------------- report

const int = (n) => Math.round(n).toLocaleString('en-US');
const mb = (n) => (n === null || n === undefined ? 'n/a' : `${n.toFixed(0)} MB`);
const times = (n) => `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}×`;

/** How busy the machine is besides this benchmark: 1-minute load average and CPU pressure. */
function load() {
  const avg = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  let pressure = null;
  try {
    pressure = Number(/some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[2]);
  } catch {
    // No PSI on this kernel.
  }
  return { avg, pressure };
}

const showLoad = ({ avg, pressure }) => `load ${avg.toFixed(2)}${pressure === null || Number.isNaN(pressure) ? '' : `, CPU pressure ${pressure.toFixed(0)}%`}`;

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(cpus().length);
  const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'jq n/a';
  const py = process.env.STREAM_PY ? `, Python ${spawnSync(python3(), ['-V'], { encoding: 'utf8' }).stdout.trim().replace(/^Python /, '')}` : '';
  return `${nproc} × ${model}, Linux ${spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim()}, Node ${process.version}, ${jq}${py}`;
}

/**
 * How many times faster holding-pivot (or `base`) is than another command: the median, over the
 * turns both ran in, of the other's time over holding-pivot's (both read the same events). Pairing
 * the runs of one turn cancels most of the drift of a shared machine; NaN when either output was wrong.
 */
function pairedRatio(results, id, base = 'hp') {
  const hp = results.get(base);
  const other = results.get(id);
  if (!hp || !other) return null;
  if (hp.broken || other.broken || hp.seconds === undefined || other.seconds === undefined) return NaN;
  const mine = new Map(hp.runs.map((x) => [x.turn, x.seconds]));
  const ratios = other.runs.filter((x) => mine.has(x.turn)).map((x) => x.seconds / mine.get(x.turn));
  return ratios.length ? median(ratios) : NaN;
}

function table(sets) {
  const rows = [
    '| input | command | events/s | MB/s | wall s (min–max) | CPU s | peak RSS | holding-pivot vs it |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { data, results } of sets) {
    const hp = results.get('hp');
    for (const r of results.values()) {
      const label = `${data.kind === 'envelope' ? 'enveloped' : 'schema-less'}`;
      if (r.broken || r.seconds === undefined) {
        rows.push(`| ${label} | ${r.command.name} | broken: ${r.problems[0]} | | | | | |`);
        continue;
      }
      const paired = pairedRatio(results, r.command.id);
      const ratio = r === hp ? '—' : Number.isNaN(paired) ? 'n/a' : times(paired);
      const cpu = r.cpuSeconds === null ? 'n/a' : r.cpuSeconds.toFixed(2);
      const walls = r.runs.map((x) => x.seconds);
      const wall = `${r.seconds.toFixed(2)} (${Math.min(...walls).toFixed(2)}–${Math.max(...walls).toFixed(2)})`;
      rows.push(`| ${label} | ${r.command.name} | ${int(r.eventsPerSecond)} | ${r.mbPerSecond.toFixed(0)} | ${wall} | ${cpu} | ${mb(r.rssMb)} | ${ratio} |`);
    }
  }
  return rows.join('\n');
}

function describeInput(data) {
  const { events, ops, tombstones, bytes } = data.meta;
  return `${int(events)} ${data.kind === 'envelope' ? 'enveloped' : 'schema-less'} events (c ${int(ops.c)}, u ${int(ops.u)}, d ${int(ops.d)}, r ${int(ops.r)}; ${int(tombstones)} tombstones), ${(bytes / 1e6).toFixed(0)} MB, ${int(bytes / (events + tombstones))} B a line`;
}

// ---------------------------------------------------------------- main

const hasGnuTime = existsSync(GNU_TIME);

async function main() {
  const opts = options(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) fail('dist/ is missing: run npm run build first (npm run bench does)');
  if (!hasGnuTime) log(`bench: ${GNU_TIME} not found: peak RSS is not measured (apt-get install time)`);
  if (process.env.STREAM_PY && !existsSync(process.env.STREAM_PY)) fail(`STREAM_PY=${process.env.STREAM_PY} does not exist`);

  const before = load();
  if (before.avg > cpus().length / 2) log(`bench: the machine is busy (${showLoad(before)}): expect noisy numbers`);
  const envelope = input(opts.count, true);
  const bare = input(opts.count, false);
  const small = opts.rssCount !== opts.count ? input(opts.rssCount, true) : envelope;

  const sets = [];
  for (const data of [envelope, bare]) sets.push({ data, results: await throughput(opts, data) });
  log('  peak RSS on the smaller input …');
  const smallRss = small === envelope ? { rssMb: sets[0].results.get('hp').rssMb, broken: false } : await rssOnly(opts, small);
  log('  start-up …');
  const start = await startup(opts);
  const profiles = [];
  if (opts.profile) for (const data of [envelope, bare]) profiles.push(await profile(data));

  const after = load();

  // Targets: a ratio and the bar it must clear; SKIP when a side was not measured.
  const env = sets[0].results;
  const plain = sets[1].results;
  const ratio = pairedRatio;
  const showRatio = (x) => (x === null || Number.isNaN(x) ? 'n/a' : times(x));
  const rssBig = env.get('hp')?.rssMb ?? null;
  const targets = [
    { what: 'enveloped: ≥ 3× stream.py events/s', value: ratio(env, 'py'), ok: (x) => x >= 3, show: times },
    { what: 'enveloped: ≥ 6× jq events/s', value: ratio(env, 'jq'), ok: (x) => x >= 6, show: times },
    { what: 'enveloped: faster than the naive Node loop', value: ratio(env, 'naive'), ok: (x) => x > 1, show: times },
    { what: 'schema-less: ≥ 0.8× the naive Node loop', value: ratio(plain, 'naive'), ok: (x) => x >= 0.8, show: times },
    { what: `peak RSS < 120 MB at ${int(opts.count)} enveloped events`, value: rssBig, ok: (x) => x < 120, show: mb },
    { what: `peak RSS < 120 MB at ${int(opts.rssCount)} enveloped events`, value: smallRss?.broken ? NaN : (smallRss?.rssMb ?? null), ok: (x) => x < 120, show: mb },
    { what: 'start-up: --version ≤ 1.5× node -e 0', value: start.hp / start.node, ok: (x) => x <= 1.5, show: times },
  ];
  // null: not measured (no STREAM_PY, --no-jq); NaN: a command's output was wrong, which fails.
  for (const t of targets) t.result = t.value === null ? 'SKIP' : Number.isNaN(t.value) ? 'FAIL (broken output)' : t.ok(t.value) ? 'PASS' : 'FAIL';
  for (const { data, results } of sets) {
    for (const r of results.values()) if (r.broken && r.command.id === 'hp') targets.push({ what: `holding-pivot's output on ${data.kind}`, value: null, result: 'FAIL' });
  }

  const out = [
    `### Benchmark (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}.`,
    `Inputs: ${describeInput(envelope)}; ${describeInput(bare)}.`,
    `Median of ${opts.runs} runs each${opts.refRuns < opts.runs ? ` (jq${process.env.STREAM_PY ? ' and stream.py' : ''}: ${opts.refRuns})` : ''} after a warm-up, commands taking turns, stdin from a file, stdout to /dev/null; ` +
      'MB = 10⁶ bytes of input; CPU s = user + system time of a run; peak RSS = GNU time %M; ' +
      '"holding-pivot vs it" = median over the turns of its time / holding-pivot\'s time in the same turn. ' +
      `Machine load besides the benchmark (1-min average, CPU pressure avg60): ${showLoad(before)} at the start, ${showLoad(after)} at the end.` +
      (process.env.STREAM_PY ? ' stream.py reads the same events without the tombstone lines (it crashes on them).' : ''),
    '',
    table(sets),
    '',
    `Start-up (median of ${opts.startupRuns}): \`node -e 0\` ${(start.node * 1000).toFixed(0)} ms, \`holding-pivot --version\` ${(start.hp * 1000).toFixed(0)} ms. ` +
      `Peak RSS of holding-pivot: ${mb(smallRss?.rssMb ?? null)} at ${int(opts.rssCount)} enveloped events, ${mb(rssBig)} at ${int(opts.count)}.`,
    '',
    `What csv-stringify alone costs: the naive loop with csv-stringify writing its rows runs at ${showRatio(ratio(env, 'naive', 'naivecsv'))} ` +
      `the naive loop's speed on enveloped events and ${showRatio(ratio(plain, 'naive', 'naivecsv'))} on schema-less ones.`,
    '',
    '| target | measured | |',
    '|---|--:|---|',
    ...targets.map((t) => `| ${t.what} | ${t.value === null || Number.isNaN(t.value) ? 'n/a' : t.show(t.value)} | ${t.result} |`),
  ];
  if (profiles.length) out.push('', ...profiles.flatMap((p) => [p, '']));
  process.stdout.write(`${out.join('\n')}\n`);
  if (opts.check && targets.some((t) => t.result.startsWith('FAIL'))) process.exitCode = 1;
}

await main();
