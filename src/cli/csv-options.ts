import type { Options } from 'csv-stringify/sync';

// PostgreSQL's COPY … CSV reads an unquoted empty field as NULL and "" as '': an empty string must
// be quoted and a null must not, which no quoting option of csv-stringify expresses (quoted_empty
// quotes nulls too). With a record_delimiter set, csv-stringify quotes a field holding \n but not a
// lone \r, which COPY would take for a line end. Both rare cases are quoted by a string cast, which
// costs less a row than the equivalent quoted_match regexes (bench/README.md).
// Bundled as its own entry, dist/csv-options.js, which bench/naive-loop.mjs imports.
const QUOTED_EMPTY = { value: '', quoted_empty: true };

/** csv-stringify's options for rows PostgreSQL's COPY … CSV reads back exactly. */
export const CSV_OPTIONS: Options = {
  record_delimiter: 'unix',
  cast: {
    string: (value) => (value === '' ? QUOTED_EMPTY : value.indexOf('\r') === -1 ? value : { value, quoted: true }),
  },
};
