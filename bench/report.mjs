// The benchmark's report (markdown, on stdout): every command's figures, the scaling curve of
// --threads, and each target of issue #13 as met, missed or skipped, with the machine's noise.
import { cpus } from 'node:os';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** 100000 → "100k", 1000000 → "1M": how the issue names its sizes. */
export const size = (n) => (n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

/**
 * How many times faster `base` is than `id` in `results`: over the turns both ran in, the other's
 * time (`key`: wall seconds or CPU seconds) over base's. { median, min, max } over the turns; null
 * when one was not run or not measured, NaN when one is broken.
 */
function paired(results, id, base, key = 'seconds') {
  const [a, b] = [results?.get(base), results?.get(id)];
  if (!a || !b) return null;
  if (a.problems.length > 0 || b.problems.length > 0) return NaN;
  const mine = new Map(a.runs.map((x) => [x.turn, x[key]]));
  return stats(b.runs.filter((x) => mine.has(x.turn) && x[key] !== null).map((x) => x[key] / mine.get(x.turn)));
}

/** Ratios as the targets read them: their median, and their spread. */
const stats = (ratios) => (ratios.length === 0 ? null : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), n: ratios.length });

const missing = (v) => v === null || Number.isNaN(v);
const x = (n) => `${n.toFixed(n >= 10 ? 1 : 2)}×`;
/** A paired ratio with its spread over the turns. */
const ratio = (v) => (missing(v) ? 'n/a' : v.n > 1 ? `${x(v.median)} (${v.min.toFixed(2)}–${v.max.toFixed(2)})` : x(v.median));
const mb = (n) => (missing(n) ? 'n/a' : `${n.toFixed(0)} MB`);
const spread = (values, digits = 2) =>
  values.length > 1 ? `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : values[0].toFixed(digits);

/** One target: met when every value is measured and passes `ok`; skipped when one was not run. */
function target(what, values, ok, show) {
  const plain = values.map((v) => (v !== null && typeof v === 'object' ? v.median : v));
  const result = plain.some((v) => v === null) ? 'SKIP' : plain.every((v) => !Number.isNaN(v) && ok(v)) ? 'met' : 'MISSED';
  return { what, measured: values.map(show).join(' / '), result };
}

export function report({ opts, sets, buildList, start: [nodeStart, hpStart], small, loads, minutes }) {
  const find = (role, envelope) => sets.find((s) => s.role === role && s.data.envelope === envelope);
  const label = (s) => `${s.data.kind} ${size(s.data.meta.events)}`;
  const hp = buildList[0];
  const base = buildList[1] ?? null;

  const rows = [
    '| input | command | events/s | wall s (min–max) | CPU s (min–max) | peak RSS | holding-pivot vs it (min–max) |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const s of sets) {
    for (const r of s.results.values()) {
      const { id, name, pipe } = r.command;
      if (r.problems.length > 0) {
        rows.push(`| ${label(s)} | ${name} | broken: ${r.problems[0]} | | | | |`);
        continue;
      }
      const rate = Math.round(s.data.meta.events / r.seconds).toLocaleString('en-US');
            const cpu = r.cpu === null ? 'n/a' : `${spread(r.runs.map((run) => run.cpu))}${r.catCpu === null ? '' : ` + cat ${r.catCpu.toFixed(2)}`}`;
      const mine = pipe ? 'hp|pipe' : 'hp';
      rows.push(`| ${label(s)} | ${name} | ${rate} | ${spread(r.runs.map((run) => run.seconds))} | ${cpu} | ${mb(r.rssMb)} | ${id === mine ? '—' : ratio(paired(s.results, id, mine))} |`);
    }
  }

  const scaling = [];
  if (hp.threads) {
    scaling.push('| input | holding-pivot | wall s | CPU s | peak RSS | speed-up over --threads 1 (min–max) |', '|---|---|--:|--:|--:|--:|');
    for (const s of sets.filter((x) => x.data.envelope)) {
      for (const [id, what] of [['hp-t1', '--threads 1'], ['hp-t2', '--threads 2'], ['hp', 'default (auto)']]) {
        const r = s.results.get(id);
        if (!r || r.problems.length > 0) continue;
        scaling.push(`| ${label(s)} | ${what} | ${r.seconds.toFixed(2)} | ${r.cpu?.toFixed(2) ?? 'n/a'} | ${mb(r.rssMb)} | ${id === 'hp-t1' ? '—' : ratio(paired(s.results, 'hp-t1', id))} |`);
      }
    }
  }

  const [envSmall, envMid, bareMid, envLarge, bareLarge] = [find('small', true), find('mid', true), find('mid', false), find('large', true), find('large', false)];
  const n = (s) => size(s.data.meta.events);
  const faster = (v) => v > 1;
  const targets = [];
  // 1. DuckDB as a reference, its rows checked equal to holding-pivot's before it is timed.
  const duckdbs = sets.map((s) => s.results.get('duckdb')).filter(Boolean);
  targets.push(target("1. DuckDB's rows equal holding-pivot's (checked before it is timed)", [duckdbs.length === 0 ? null : duckdbs.every((r) => r.problems.length === 0) ? 1 : NaN], () => true, (v) => (v === null ? 'not run' : Number.isNaN(v) ? 'broken (the table says how)' : 'equal')));
  // 2. Faster than DuckDB (by its path, both cores) at the two larger sizes, from a file and through a pipe.
  for (const s of [envMid, envLarge]) {
    targets.push(target(`2. enveloped ${n(s)}, file: faster than DuckDB`, [paired(s.results, 'duckdb', 'hp')], faster, ratio));
    targets.push(target(`2. enveloped ${n(s)}, pipe: faster than DuckDB (reading the file)`, [paired(s.results, 'duckdb', 'hp|pipe')], faster, ratio));
  }
  targets.push(target(`2. enveloped ${n(envLarge)}: --threads 2 faster than --threads 1 (the scaling curve, below)`, [paired(envLarge.results, 'hp-t1', 'hp-t2')], faster, ratio));
  // 3. ≥ 5× stream.py by wall time and by CPU seconds (holding-pivot's own, cat's aside in both).
  for (const s of [envSmall, envLarge]) {
    for (const [mode, py, mine] of [['file', 'py', 'hp'], ['pipe', 'py|pipe', 'hp|pipe']]) {
      targets.push(target(`3. enveloped ${n(s)}, ${mode}: ≥ 5× stream.py, wall / CPU`, [paired(s.results, py, mine), paired(s.results, py, mine, 'cpu')], (v) => v >= 5, ratio));
    }
  }
  // 4. The fixed cost of small runs.
  for (const r of small) targets.push(target(`4. ${r.what}`, [r.ratios === null ? null : stats(r.ratios)], r.bar, ratio));
  // 5. Schema-less: ahead of DuckDB at the large size, and no slower than before (with --baseline).
  targets.push(target(`5. schema-less ${n(bareLarge)}, file: faster than DuckDB`, [paired(bareLarge.results, 'duckdb', 'hp')], faster, ratio));
  const noSlower = (v) => v >= 0.95;
  for (const s of [bareMid, bareLarge]) targets.push(target(`5. schema-less ${n(s)}: no slower than the baseline (≥ 0.95×)`, [paired(s.results, 'base', 'hp')], noSlower, ratio));
  // The single-threaded path keeps its speed: --threads 1 against the baseline's single thread.
  const single = (b) => (b?.threads ? `${b.id}-t1` : b?.id);
  targets.push(target(`enveloped ${n(envMid)}: the single-threaded path no slower than the baseline's (≥ 0.95×)`, [paired(envMid.results, single(base), single(hp))], noSlower, ratio));
  // 6. Peak RSS with parallelism on, and its growth with the input (the same command at both sizes).
  const rss = (s, id) => (!s.results.get(id) ? null : s.results.get(id).problems.length > 0 ? NaN : s.results.get(id).rssMb);
  const parallel = hp.threads ? ['hp', 'hp-t2'] : ['hp'];
  const peak = parallel.map((id) => rss(envLarge, id));
  targets.push(target(`6. peak RSS < 120 MB at ${n(envLarge)} enveloped, ${hp.threads ? 'default and --threads 2 (the higher)' : 'no --threads: single-threaded'}`, [peak.some(missing) ? peak.find(missing) : Math.max(...peak)], (v) => v < 120, mb));
  const flat = parallel.at(-1);
  const [rssSmall, rssLarge] = [rss(envSmall, flat), rss(envLarge, flat)];
  const growth = [rssSmall, rssLarge].filter(missing).concat(rssLarge / rssSmall)[0];
  targets.push(target(`6. peak RSS flat: ${n(envLarge)} / ${n(envSmall)} enveloped${flat === 'hp' ? '' : ' (--threads 2)'}, ≤ 1.15×`, [growth], (v) => v <= 1.15, (v) => (missing(v) ? 'n/a' : `${x(v)} (${mb(rssSmall)} → ${mb(rssLarge)})`)));
  // Kept from before.
  targets.push(target(`enveloped ${n(envMid)}: ≥ 6× jq`, [paired(envMid.results, 'jq', 'hp')], (v) => v >= 6, ratio));
  targets.push(target(`enveloped ${n(envMid)}: faster than the naive Node loop`, [paired(envMid.results, 'naive', 'hp')], faster, ratio));
  targets.push(target('start-up: --version ≤ 1.5× node -e 0', [hpStart / nodeStart], (v) => v <= 1.5, (v) => x(v)));

  const inputs = sets.map((s) => `${label(s)} (${(s.data.meta.bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} MB)`);
  const turns = `${opts.runs} turns (${opts.largeRuns} at ${size(opts.largeCount)}), the slow references ${opts.refRuns} (${opts.largeRefRuns} at ${size(opts.largeCount)})`;
  const lines = [
    `Inputs: ${inputs.join(', ')}. Median of ${turns}, after a warm-up that checks the output. ` +
      `Node ${process.version}, ${cpus().length} CPUs. The run took ${minutes.toFixed(1)} minutes${opts.quick ? ' (--quick: the ratios are not the targets\' figures)' : ''}.`,
    '',
    `Noise: the 1-minute load average was ${loads.join(' → ')} (at the start, after each input, at the end). ` +
      "Each command's wall and CPU seconds give the spread of its runs (min–max); each ratio, the spread over its turns. " +
      'A pipe\'s wall time is the whole pipeline\'s; its CPU seconds are the command\'s own, and cat\'s beside them. ' +
      "Every ratio is another command's time over holding-pivot's in the same turn (>1: holding-pivot faster); a pipe's, over holding-pivot's through a pipe. " +
      'DuckDB always reads the file by its path.',
    '',
    ...rows,
    '',
    hp.threads
      ? `Scaling: holding-pivot's threads, from the file.\n\n${scaling.join('\n')}`
      : 'Scaling: SKIP (this holding-pivot has no --threads).',
    '',
    `Start-up (median of ${opts.startupRuns}): node -e 0 ${(nodeStart * 1000).toFixed(0)} ms, holding-pivot --version ${(hpStart * 1000).toFixed(0)} ms.`,
    '',
    '| target | measured | |',
    '|---|--:|---|',
    ...targets.map((t) => `| ${t.what} | ${t.measured} | ${t.result} |`),
  ];
  return { text: lines.join('\n'), missed: targets.some((t) => t.result === 'MISSED') };
}
