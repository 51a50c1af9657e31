import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/cli/terminal-text.js';

describe('escapeForTerminal', () => {
  it.each([
    ['line ends', 'a\nholding-pivot: forged\r\n', 'a\\nholding-pivot: forged\\r\\n'],
    ['tab, backspace, form feed, NUL, BEL', '\t\b\f\u0000\u0007', '\\t\\b\\f\\u0000\\u0007'],
    ['an ESC sequence (clear the screen, set the title)', '\x1b[2J\x1b]0;owned\x07', '\\u001b[2J\\u001b]0;owned\\u0007'],
    ['DEL', 'a\x7fb', 'a\\u007fb'],
    ['C1 controls: CSI, NEL, OSC', '\u009b2J\u0085\u009d', '\\u009b2J\\u0085\\u009d'],
    ['bidi overrides, embeddings, isolates and marks', '\u202etxt.exe\u202a\u2066\u2069\u200e\u200f\u061c', '\\u202etxt.exe\\u202a\\u2066\\u2069\\u200e\\u200f\\u061c'],
    ['zero-width characters and the BOM', 'a\u200bb\u200dc\ufeffd\u00ad', 'a\\u200bb\\u200dc\\ufeffd\\u00ad'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['lone surrogates', 'a\ud800b\udc00', 'a\\ud800b\\udc00'],
    ['a format character beyond the BMP (a tag)', 'a\u{e0041}', 'a\\udb40\\udc41'],
  ])('escapes %s', (_what, text, escaped) => {
    expect(escapeForTerminal(text)).toBe(escaped);
  });

  it('leaves printable text alone: accents, CJK, emoji, quotes, backslashes', () => {
    const text = 'bank.holding "é" 株式 😀 \\u001b';
    expect(escapeForTerminal(text)).toBe(text);
  });

  it('never lets a control, format, separator or unpaired surrogate through, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeForTerminal(text)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
      }),
    );
  });
});
