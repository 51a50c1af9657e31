import { availableParallelism, cpus } from 'node:os';

/** The shortest look at the processors worth trusting: the kernel counts their time in 10 ms ticks. */
const MIN_SAMPLE_MS = 30;

interface Sample {
  readonly at: number;
  /** Idle and total time of every processor, ms. */
  readonly idle: number;
  readonly all: number;
  /** This process's own CPU time, ms. */
  readonly own: number;
}

function sample(): Sample {
  let idle = 0;
  let all = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    all += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  const { user, system } = process.cpuUsage();
  return { at: performance.now(), idle, all, own: (user + system) / 1000 };
}

/**
 * How many processors are idle, measured from now until asked (at least MIN_SAMPLE_MS), this
 * process's own time counted as idle: the time the run spends starting up is the measurement's,
 * so a large file pays no wait for it, and the load average, which lags a minute behind, is not
 * used.
 */
export function idleProcessorMeter(): () => Promise<number> {
  const start = sample();
  return async () => {
    const waited = performance.now() - start.at;
    if (waited < MIN_SAMPLE_MS) await new Promise((resolve) => setTimeout(resolve, MIN_SAMPLE_MS - waited));
    const end = sample();
    if (end.all <= start.all) return 0;
    const idleShare = Math.min(1, (end.idle - start.idle + (end.own - start.own)) / (end.all - start.all));
    return Math.min(idleShare * cpus().length, availableParallelism());
  };
}
