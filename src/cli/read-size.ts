// The read size measured fastest on enveloped events; larger reads cost page faults, as glibc maps
// a buffer that size afresh for every read (bench/README.md). A module of its own, so that the
// conversion threads, which read files too (range-reader.ts), load none of the streams file-input.ts needs.
export const CHUNK_BYTES = 128 * 1024;
