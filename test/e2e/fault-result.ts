/** What test/e2e/fault-run.ts writes to faults/result.json, and test/e2e/faults.test.ts judges. */
import type { ExpectedRow } from './fault-changes.js';

/** Users whose answers to sql/questions.sql the fault test checks. */
export const FAULT_USERS = [1, 2, 3, 7] as const;

export interface Kill {
  readonly target: string;
  readonly step: number;
  /** Whether the target's load transaction was open when it was killed. */
  readonly midLoad: boolean;
  readonly at: number;
}

export interface FaultResult {
  readonly seed: number;
  readonly steps: number;
  readonly statements: number;
  /** The model's pivot of the changes made: what the audit table must hold, as a multiset. */
  readonly expected: ExpectedRow[];
  readonly audit: ExpectedRow[];
  /** What the naive kcat -G | holding-pivot | psql pipeline loaded through the same faults. */
  readonly naive: ExpectedRow[];
  readonly rejects: number;
  readonly offsets: { kafka_partition: number; next_offset: string }[];
  readonly kills: Kill[];
  readonly connect: { step: number; messagesWhenKilled: number; restartedAfterMs: number };
  readonly topic: { messages: number; minimum: number; duplicates: number };
  readonly exits: { stopped: (number | string | null)[]; drained: number | string | null; naive: number | string | null };
  readonly answers: { user: number; output: string; expected: string[] }[];
}
