#!/usr/bin/env node
// Used by stack/e2e.sh to compare holding-pivot outputs whose timestamps cannot match byte for byte.
// Reads RFC 4180 CSV (stdin or file) and writes one JSON array per record, so the result can be
// compared with diff, or sorted for a multiset comparison.
//   --mask 6,7,8,9   1-based columns to mask: NULL and "" stay, an ISO 8601 UTC timestamp or a
//                    literal "*" becomes "*", anything else becomes "?<value>" (so a diff shows it)
//   --columns 10     fail unless every record has this many fields
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let mask = new Set();
let columns = 0;
let file = 0; // stdin
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--mask') mask = new Set(args[++i].split(',').filter(Boolean).map(Number));
  else if (args[i] === '--columns') columns = Number(args[++i]);
  else file = args[i];
}

const text = readFileSync(file, 'utf8');
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

// RFC 4180: fields separated by ",", records by CRLF or LF, quoted fields may hold , " (as "") and newlines.
// An unquoted empty field (NULL for PostgreSQL's COPY) becomes null, a quoted one ("") the empty string.
function* records(s) {
  let i = 0;
  while (i < s.length) {
    const rec = [];
    for (;;) {
      let field = '';
      let quoted = false;
      if (s[i] === '"') {
        quoted = true;
        i++;
        for (;;) {
          if (i >= s.length) throw new Error('unterminated quoted field');
          if (s[i] === '"') {
            if (s[i + 1] === '"') { field += '"'; i += 2; } else { i++; break; }
          } else field += s[i++];
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++];
      }
      rec.push(field === '' && !quoted ? null : field);
      if (s[i] === ',') { i++; continue; }
      if (s[i] === '\r') i++;
      if (s[i] === '\n') i++;
      break;
    }
    yield rec;
  }
}

const out = [];
let n = 0;
for (const rec of records(text)) {
  n++;
  if (columns && rec.length !== columns) {
    process.stderr.write(`csv-mask: record ${n} has ${rec.length} fields, expected ${columns}: ${JSON.stringify(rec)}\n`);
    process.exit(1);
  }
  out.push(JSON.stringify(rec.map((v, k) => {
    if (!mask.has(k + 1) || v === null || v === '') return v;
    return v === '*' || TIMESTAMP.test(v) ? '*' : `?${v}`;
  })));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
