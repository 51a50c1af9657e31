import type { DeadLetter } from './dead-letter.js';
import type { Converted, StrictStop } from './line-converter.js';
import type { Counts, Reporter } from './reporter.js';

/** What reporting converted lines needs: where the messages, rejected lines and counts go. */
export interface ReportContext {
  readonly reporter: Reporter;
  readonly counts: Counts;
  readonly deadLetter: DeadLetter | null;
  /** Ends the run when --strict stopped the conversion. */
  readonly stop: (reason: StrictStop) => void;
}

/**
 * Tells what converting a run of `input`'s lines met, in the run's thread and in input order,
 * wherever the lines were converted: counts, warnings, rejected lines (and --errors), the --strict
 * stop. The notes' lines are numbered in their input.
 */
export function report(run: ReportContext, converted: Converted, input: string): void {
  const { reporter, deadLetter } = run;
  run.counts.add(converted.counts);
  for (const note of converted.notes) {
    const number = note.line;
    const where = `${input}:${number}`;
    switch (note.kind) {
      case 'warning':
        reporter.warning(where, note.warning);
        break;
      case 'rejected':
        reporter.rejected(where, note.reason, note.shown);
        deadLetter?.write(note.raw, input, number);
        break;
      case 'unknown-column':
        reporter.error(`${where}: the table has no column "${note.column}" (check --fields and the --*-field options); --strict stops here`);
    }
  }
  if (converted.stop !== null) run.stop(converted.stop);
}
