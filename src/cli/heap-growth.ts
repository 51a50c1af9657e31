// V8 doubles the young generation of a thread that keeps much alive between collections, as
// compiling the modules does: by the first line the run's thread would have 16 MB semi-spaces,
// which beside a worker's heap cost some 18 MB of peak RSS, for no speed. So when threads may
// start, the young generation is held at its first size; when the run converts alone after all,
// V8's default is restored. V8 reads the flag at each collection; starting a worker sets V8's
// flags anew, so each worker holds it again (conversion-worker.ts). Holding the old generation's
// growth too (--heap-growing-percent) kept the peak RSS flat, but made some runs 30% slower.
// Measured: bench/README.md ("Conversion over threads").
import { createRequire } from 'node:module';

/** The flag that holds the heap's growth, and V8's default for it (node --v8-options). */
export const HELD_HEAP_GROWTH = '--semi-space-growth-factor=1';
const V8_HEAP_GROWTH = '--semi-space-growth-factor=2';

let held = false;

// Required when needed, not imported: loading node:v8 costs 2 ms, which --help and a small run need not pay.
const setV8Flags = (flags: string): void => (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);

export function holdHeapGrowth(): void {
  setV8Flags(HELD_HEAP_GROWTH);
  held = true;
}

export function releaseHeapGrowth(): void {
  if (held) setV8Flags(V8_HEAP_GROWTH);
  held = false;
}
