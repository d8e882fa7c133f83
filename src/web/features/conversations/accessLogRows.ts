import type { AccessLogEntry } from '../../api/types';

/** Repeats of one thing by one person within this long count as one visit. */
export const SAME_VISIT_MS = 15 * 60 * 1000;

/** One row of "Who has seen my record": an entry and how many times it happened in a row. */
export interface AccessLogRow extends AccessLogEntry {
  /** How many entries this row stands for (1 when it happened once). */
  times: number;
  /** When the first of them happened; `at` is the last (the list is newest first). */
  firstAt: string;
}

const sameThing = (a: AccessLogEntry, b: AccessLogEntry) =>
  a.who === b.who &&
  a.team === b.team &&
  a.what === b.what &&
  a.why === b.why &&
  a.subject === b.subject;

/**
 * Folds entries that say the same thing (who, team, what, why, which conversation) one after
 * another within SAME_VISIT_MS into one row: a nurse opening a conversation six times while
 * answering it is one visit to the patient, not six lines to read through. Newest first, as
 * the entries come; nothing is dropped (each row says how many it stands for).
 */
export function foldRepeats(entries: readonly AccessLogEntry[]): AccessLogRow[] {
  const rows: AccessLogRow[] = [];
  for (const entry of entries) {
    const last = rows.at(-1);
    const withinVisit =
      last !== undefined &&
      new Date(last.at).getTime() - new Date(entry.at).getTime() <= SAME_VISIT_MS;
    if (last && withinVisit && sameThing(last, entry)) {
      last.times += 1;
      last.firstAt = entry.at;
    } else {
      rows.push({ ...entry, times: 1, firstAt: entry.at });
    }
  }
  return rows;
}
