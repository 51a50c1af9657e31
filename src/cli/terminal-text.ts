// Characters that act on a terminal or hide in text rather than show: C0 and C1 controls and DEL
// (line ends, ESC and CSI sequences, 8-bit controls), format characters (bidi overrides and
// isolates, zero-width characters, the BOM), the Unicode line and paragraph separators, and
// surrogates, which appear in a JavaScript string only when unpaired.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function escapeUnit(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) as number;
  // The short forms JSON uses (\n, \t, ...), so an excerpt reads the same as JSON.stringify's.
  if (code < 0x20) return JSON.stringify(character).slice(1, -1);
  if (character.length === 1) return escapeUnit(code);
  return escapeUnit(character.charCodeAt(0)) + escapeUnit(character.charCodeAt(1));
}

/** A number with thousands separators, as every count on stderr is written. */
export const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Text safe to print on a terminal as one line, whatever it holds: every character that could
 * end the line, move the cursor, change the terminal's state or reorder what is shown is written
 * as a JSON-style escape (\n, \u001b, \u202e, \ud800), the rest is left as it is.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(HIDDEN, escapeCharacter);
}
