// V8 grows a thread's heap while it runs: it doubles the young generation of a thread that keeps
// much alive between collections (compiling the modules does), and lets the old generation grow
// between full collections by a factor it picks, up to 4×. Beside worker threads' heaps that
// costs some 25 MB of peak RSS, which climbs with the input's size, for about 4% of speed. So
// when threads may start, both are held: the young generation at its first size, the old one at
// most doubling. When the run converts alone after all, V8's defaults are restored. V8 reads these flags
// at each collection; starting a worker sets V8's flags anew, so each worker holds them again
// (conversion-worker.ts). Measured: bench/README.md ("Conversion over threads").
import { createRequire } from 'node:module';

/** The flags that hold the heap's growth, and V8's defaults for them (node --v8-options). */
export const HELD_HEAP_GROWTH = '--semi-space-growth-factor=1 --heap-growing-percent=100';
const V8_HEAP_GROWTH = '--semi-space-growth-factor=2 --heap-growing-percent=0';

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
