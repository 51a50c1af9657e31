/**
 * A JSON reader that keeps every number's source text. JSON.parse turns 9007199254740993 into
 * 9007199254740992; a bigint column or a nanosecond timestamp must come out digit for digit, so
 * events whose output depends on such a number are read again with this parser. It is only ever
 * run on text that JSON.parse has already accepted, so it reports nothing but its own limits.
 */

/** A JSON number kept as the text it was written with. */
export class ExactNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | ExactNumber | ExactJson[] | { [key: string]: ExactJson };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text like JSON.parse, but with numbers as ExactNumber. Throws on invalid JSON. */
export function parseExactJson(text: string): ExactJson {
  let pos = 0;

  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos}`);
  };

  const readString = (): string => {
    // Delegating the string to JSON.parse keeps escape handling identical to the fast path.
    const start = pos;
    pos++;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x5c) pos += 2;
      else if (c === 0x22) break;
      else pos++;
    }
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };

  /** An object key and its colon. */
  const readKey = (): string => {
    skipSpace();
    if (text[pos] !== '"') fail('expected a key');
    const key = readString();
    skipSpace();
    if (text[pos] !== ':') fail('expected ":"');
    pos++;
    return key;
  };

  const readScalar = (): ExactJson => {
    const c = text[pos];
    if (c === '"') return readString();
    if (text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected character');
    pos += m[0].length;
    return new ExactNumber(m[0]);
  };

  // A loop with its own stack, not recursion: a column nested 100,000 deep is valid JSON, which
  // JSON.parse reads, and so must this, or an event with one such untracked column would fail.
  type Open = { readonly container: ExactJson[] | { [key: string]: ExactJson }; key: string };
  const stack: Open[] = [];
  let result: ExactJson = null;
  let value: ExactJson;
  for (;;) {
    skipSpace();
    const c = text[pos];
    if (c === '{' || c === '[') {
      pos++;
      skipSpace();
      const isObject = c === '{';
      const container: Open['container'] = isObject ? {} : [];
      if (text[pos] !== (isObject ? '}' : ']')) {
        const open: Open = { container, key: '' };
        if (isObject) open.key = readKey();
        stack.push(open);
        continue;
      }
      pos++;
      value = container;
    } else {
      value = readScalar();
    }
    // Put the value in its container, then close every container that ends here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        result = value;
        break;
      }
      const { container } = top;
      if (Array.isArray(container)) container.push(value);
      // defineProperty, not assignment: a "__proto__" key must stay data, as with JSON.parse.
      else Object.defineProperty(container, top.key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      const close = Array.isArray(container) ? ']' : '}';
      if (text[pos] === ',') {
        pos++;
        if (!Array.isArray(container)) top.key = readKey();
        break;
      }
      if (text[pos] !== close) fail(`expected "," or "${close}"`);
      pos++;
      stack.pop();
      value = container;
    }
    if (stack.length === 0) break;
  }
  skipSpace();
  if (pos !== text.length) fail('unexpected text after JSON');
  return result;
}

/**
 * The shortest plain decimal that denotes exactly the same number as a JSON number literal:
 * no exponent, no leading or trailing zeros ("1.50E+2" → "150", "-0.0" → "0").
 */
export function plainDecimal(literal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (m === null) return literal;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const exponent = Number(exp);
  // A literal like 1e999999999 would expand to a billion zeros: keep it as written.
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return literal;
  let digits = int + frac;
  let point = int.length + exponent;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + text;
}
