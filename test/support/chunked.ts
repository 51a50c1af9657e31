/** Cuts `input` at the given offsets (out-of-range and repeated ones ignored), as a stream might. */
export function chunked(input: Buffer, cuts: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < input.length).sort((a, b) => a - b)) {
    chunks.push(input.subarray(at, cut));
    at = cut;
  }
  chunks.push(input.subarray(at));
  return chunks.filter((c) => c.length > 0);
}
