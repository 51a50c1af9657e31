// V8 doubles the young generation of a thread that keeps much alive between collections, as
// compiling the modules does: by the first line the run's thread would have 16 MB semi-spaces,
// which beside worker threads' heaps cost some 18 MB of peak RSS, for no speed. So when threads
// may start, the young generation is held at its first size; when the run converts alone after
// all, V8's default growth is restored, since a small young generation costs a lone thread time
// in collections. V8 reads the flag at each collection; starting a worker sets V8's flags anew,
// so each worker holds it again (conversion-worker.ts). Measured: bench/README.md ("Threads").
import { createRequire } from 'node:module';

/** V8's --semi-space-growth-factor when nothing sets it (node --v8-options). */
const V8_SEMI_SPACE_GROWTH = 2;

let held = false;

// Required when needed, not imported: loading node:v8 costs 2 ms, which --help and a small run need not pay.
const setV8Flags = (flags: string): void => (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);

export function holdYoungGeneration(): void {
  setV8Flags('--semi-space-growth-factor=1');
  held = true;
}

export function releaseYoungGeneration(): void {
  if (held) setV8Flags(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH}`);
  held = false;
}
