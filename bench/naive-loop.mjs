// The benchmark's floor for a JavaScript parser: split stdin into lines, JSON.parse each whole line,
// join the 10 columns with commas. No validation, no CSV quoting, timestamps left as raw numbers.
// It writes as many rows as holding-pivot (one per tracked field of each c/u/d event), so the
// runner can check its row count like the others'.
//
// With --csv-stringify it writes each chunk's rows with csv-stringify's sync API and holding-pivot's
// options instead of joining them: the same loop with only the cost of the CSV that COPY needs
// added, which is the most any tool held to csv-stringify can reach (bench/README.md). The options
// are holding-pivot's own, from the build (dist/csv-options.js, made by npm run build).
const useCsvStringify = process.argv.includes('--csv-stringify');
// Loaded only when asked for, so the plain loop's start-up stays that of node alone.
const { stringify } = useCsvStringify ? await import('csv-stringify/sync') : {};
const { CSV_OPTIONS } = useCsvStringify ? await import('../dist/csv-options.js') : {};
const FIELDS = ['holding_stock', 'holding_quantity'];
let rest = '';

function convert(text) {
  const lines = text.split('\n');
  rest = lines.pop();
  let out = '';
  const rows = [];
  for (const line of lines) {
    if (line === '') continue;
    const value = JSON.parse(line);
    const p = value.payload !== undefined ? value.payload : value;
    if (p === null) continue;
    const inserted = Date.now();
    const { op, before, after } = p;
    for (const field of FIELDS) {
      let row;
      if (op === 'c') row = [after.holding_id, after.user_id, field, null, after[field], after.datetime_created, null, null, inserted, op];
      else if (op === 'u') row = [after.holding_id, after.user_id, field, before?.[field], after[field], null, p.ts_ms, null, inserted, op];
      else if (op === 'd') row = [before.holding_id, before.user_id, field, before[field], null, null, null, p.ts_ms, inserted, op];
      else break;
      if (useCsvStringify) rows.push(row);
      else out += row.join(',') + '\n';
    }
  }
  return rows.length === 0 ? out : stringify(rows, CSV_OPTIONS);
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const out = convert(rest + chunk);
  if (out !== '' && !process.stdout.write(out)) {
    process.stdin.pause();
    process.stdout.once('drain', () => process.stdin.resume());
  }
});
process.stdin.on('end', () => {
  if (rest !== '') process.stdout.write(convert(rest + '\n'));
});
