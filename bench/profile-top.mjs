// Summarises a V8 .cpuprofile (node --cpu-prof) by self time: the functions the samples landed in,
// and the same time grouped by where the code lives (holding-pivot's own files, each package,
// Node's internals, V8 builtins, GC).
//
//   node bench/profile-top.mjs PROFILE.cpuprofile [--top 15]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a function's code lives, for the grouped view. */
function area(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : 'V8 builtins / native';
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([a-z_]+)/.exec(url);
    return `node:${m ? m[1] : url}`;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1];
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

function where(url, line) {
  if (url === '') return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const short = path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
  return `${short.replace(/^.*node_modules\//, '')}:${line + 1}`;
}

/**
 * Self time per function and per area, in ms, from a parsed .cpuprofile. Each sample is charged
 * the time until the next one (timeDeltas[i + 1]), as DevTools does.
 */
export function summarise(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const self = new Map();
  const { samples, timeDeltas } = profile;
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    const us = Math.max(0, next);
    total += us;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + us);
  }
  const functions = new Map();
  const areas = new Map();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    const key = `${name}\u0000${where(url, lineNumber)}`;
    const f = functions.get(key) ?? { name, where: where(url, lineNumber), us: 0, callers: new Map() };
    f.us += us;
    const parent = byId.get(parentOf.get(id));
    if (parent !== undefined) {
      const caller = `${parent.callFrame.functionName || '(anonymous)'} ${where(parent.callFrame.url, parent.callFrame.lineNumber)}`.trim();
      f.callers.set(caller, (f.callers.get(caller) ?? 0) + us);
    }
    functions.set(key, f);
    const a = area(url, name);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const ranked = [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top);
  const grouped = [...areas.entries()].sort((a, b) => b[1] - a[1]);
  const topCaller = (callers) => [...callers.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  return {
    totalMs: total / 1000,
    functions: ranked.map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, caller: topCaller(f.callers) })),
    areas: grouped.map(([name, us]) => ({ name, ms: us / 1000 })),
  };
}

const pct = (ms, total) => `${((100 * ms) / total).toFixed(1)}%`;

/** The summary as markdown tables. */
export function formatSummary(summary, title = 'profile') {
  const { totalMs, functions, areas } = summary;
  const lines = [
    `**${title}**: ${(totalMs / 1000).toFixed(2)} s sampled`,
    '',
    '| # | self | % | function | where | mostly called from |',
    '|--:|--:|--:|---|---|---|',
    ...functions.map(
      (f, i) => `| ${i + 1} | ${f.ms.toFixed(0)} ms | ${pct(f.ms, totalMs)} | \`${f.name}\` | ${f.where} | ${f.caller} |`,
    ),
    '',
    '| area | self | % |',
    '|---|--:|--:|',
    ...areas.slice(0, 12).map((a) => `| ${a.name} | ${a.ms.toFixed(0)} ms | ${pct(a.ms, totalMs)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '15' } }, allowPositionals: true });
  if (positionals.length === 0) {
    process.stderr.write('usage: node bench/profile-top.mjs PROFILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  for (const file of positionals) {
    process.stdout.write(`${formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), Number(values.top)), file)}\n\n`);
  }
}
