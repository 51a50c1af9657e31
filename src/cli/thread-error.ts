/**
 * A conversion thread failed: not the input's doing, and the run cannot go on without its rows.
 * A module of its own, so that the run can tell it without loading node:worker_threads.
 */
export class ConversionThreadError extends Error {}
