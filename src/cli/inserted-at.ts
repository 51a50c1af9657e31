/** A clock formatted for datetime_inserted, computed again only when the millisecond changes. */
export function insertedAtClock(now: () => number, epoch: boolean): () => string {
  let last = Number.NaN;
  let text = '';
  return () => {
    const ms = now();
    if (ms !== last) {
      last = ms;
      text = epoch ? String(ms) : new Date(ms).toISOString();
    }
    return text;
  };
}
