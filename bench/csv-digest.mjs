// A digest of the values of CSV rows, fed text in chunks: what the benchmark compares between
// commands whose bytes differ (jq quotes every string, DuckDB only where needed). NULL (an unquoted
// empty field) and '' (a quoted one) stay apart; column 9, datetime_inserted, is left out (the one
// value that depends on when a command ran).
// csv-parse did this until 1M-event runs: the `cast` callback it needed to tell a quoted empty
// field from an unquoted one made it about 47 µs a row (18 s for 200k events' rows, 1.3 s without
// it), so checking the outputs took a third of a full run.
import { createHash } from 'node:crypto';

const [QUOTE, COMMA, NEWLINE] = [34, 44, 10];
const NULL = '\u0000';
const INSERTED = 8;

export class CsvDigest {
  rows = 0;
  #hash = createHash('sha256');
  #pending = [];
  #cells = [];
  #field = '';
  /** The field began with a quote. */
  #quoted = false;
  /** Between a field's opening and closing quote. */
  #inQuotes = false;
  /** Inside quotes, a quote was the chunk's last character: the field's end, or the first of "". */
  #quoteSeen = false;
  #columns = -1;
  error = null;

  update(text) {
    let i = 0;
    const n = text.length;
    while (i < n && this.error === null) {
      if (this.#inQuotes) {
        if (this.#quoteSeen) {
          this.#quoteSeen = false;
          if (text.charCodeAt(i) === QUOTE) {
            this.#field += '"';
            i++;
          } else this.#inQuotes = false;
          continue;
        }
        const q = text.indexOf('"', i);
        if (q === -1) {
          this.#field += text.slice(i);
          return;
        }
        this.#field += text.slice(i, q);
        this.#quoteSeen = true;
        i = q + 1;
        continue;
      }
      let j = i;
      for (let c = text.charCodeAt(j); j < n && c !== COMMA && c !== NEWLINE && c !== QUOTE; c = text.charCodeAt(++j));
      this.#field += text.slice(i, j);
      if (j === n) return;
      const c = text.charCodeAt(j);
      if (c === QUOTE) {
        if (this.#quoted || this.#field !== '') this.error = `a quote inside an unquoted field, row ${this.rows + 1}`;
        [this.#quoted, this.#inQuotes] = [true, true];
      } else {
        this.#endField();
        if (c === NEWLINE) this.#endRow();
      }
      i = j + 1;
    }
  }

  #endField() {
    this.#cells.push(this.#quoted ? this.#field : this.#field === '' ? NULL : this.#field);
    [this.#field, this.#quoted] = ['', false];
  }

  #endRow() {
    if (this.#columns === -1) this.#columns = this.#cells.length;
    if (this.#cells.length !== this.#columns && this.error === null) this.error = `row ${this.rows + 1} has ${this.#cells.length} fields, row 1 ${this.#columns}`;
    this.#cells.splice(INSERTED, 1);
    this.#pending.push(this.#cells.join('\u001f'));
    this.#cells = [];
    this.rows++;
    if (this.#pending.length === 4096) this.#flush();
  }

  #flush() {
    this.#hash.update(`${this.#pending.join('\u001e')}\u001e`);
    this.#pending = [];
  }

  /** The digest; a last row without its newline counts. */
  digest() {
    if (this.#inQuotes && !this.#quoteSeen) this.error ??= 'a quoted field is not closed at the end';
    if (this.#cells.length > 0 || this.#field !== '' || this.#quoted) {
      this.#endField();
      this.#endRow();
    }
    if (this.#pending.length > 0) this.#flush();
    return this.#hash.digest('hex');
  }
}
