// Undo and redo of chart edits as data: each entry says what changed in a form the controller can apply
// forwards or backwards. The stack is bounded so a long session does not grow without limit.
//
// An entity or link drawn by hand is also in the store, for everyone. Its entry carries a StoreRecord, so
// undo can take it out of the store as well (and redo put it back), or say plainly why it stays there.
export interface NodeSnapshot {
  id: string;
  attributes: Record<string, unknown>;
}
export interface EdgeSnapshot {
  id: string;
  source: string;
  target: string;
  attributes: Record<string, unknown>;
}

/** What a drawing wrote to the store: enough to delete it again and to write it again on redo. */
export interface StoreRecord {
  kind: 'entity' | 'link';
  /** The entity's or the link's id as the store has it now (a redo that writes it again renames it). */
  id: string;
  /** False when the store already held it (matched by natural key): the drawing only added a report. */
  created: boolean;
  /** The report it rests on, as drawn (ReportInput). */
  report: Record<string, unknown>;
  /** An entity: type, label, properties. A link: type, weight, firstSeen, lastSeen (ends from the chart). */
  input: Record<string, unknown>;
  /** in-store: as drawn; deleted: undo took it out of the store; kept: undo left it there (see `why`). */
  status: 'in-store' | 'deleted' | 'kept';
  /** Why an undo left it in the store, in the analyst's words. */
  why?: string;
}

export type HistoryEntry =
  | { kind: 'add'; label: string; nodes: NodeSnapshot[]; edges: EdgeSnapshot[]; store?: StoreRecord }
  | { kind: 'remove'; label: string; nodes: NodeSnapshot[]; edges: EdgeSnapshot[]; store?: StoreRecord }
  | {
      kind: 'move';
      label: string;
      before: Record<string, [number, number]>;
      after: Record<string, [number, number]>;
    }
  | {
      kind: 'style';
      label: string;
      before: Record<string, Record<string, unknown>>;
      after: Record<string, Record<string, unknown>>;
    };

export interface HistoryState {
  past: HistoryEntry[];
  future: HistoryEntry[];
}

export const EMPTY_HISTORY: HistoryState = { past: [], future: [] };
export const HISTORY_LIMIT = 100;

export function record(h: HistoryState, e: HistoryEntry): HistoryState {
  const past = [...h.past, e];
  return { past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, future: [] };
}

/** Pops the last entry; the caller applies `inverse(entry)`. */
export function undo(h: HistoryState): { history: HistoryState; entry: HistoryEntry | null } {
  const entry = h.past[h.past.length - 1];
  if (!entry) return { history: h, entry: null };
  return { history: { past: h.past.slice(0, -1), future: [entry, ...h.future] }, entry };
}

/** Re-applies the most recently undone entry; the caller applies `entry` itself. */
export function redo(h: HistoryState): { history: HistoryState; entry: HistoryEntry | null } {
  const entry = h.future[0];
  if (!entry) return { history: h, entry: null };
  return { history: { past: [...h.past, entry], future: h.future.slice(1) }, entry };
}

/** The entry that undoes `e`. */
export function inverse(e: HistoryEntry): HistoryEntry {
  switch (e.kind) {
    case 'add':
      return { ...e, kind: 'remove' };
    case 'remove':
      return { ...e, kind: 'add' };
    case 'move':
      return { ...e, before: e.after, after: e.before };
    case 'style':
      return { ...e, before: e.after, after: e.before };
  }
}

/** Marks the newest entry (an add the drawing just made) as written to the store. */
export function markDrawn(h: HistoryState, store: StoreRecord): HistoryState {
  const last = h.past[h.past.length - 1];
  if (!last || last.kind !== 'add') return h;
  return { ...h, past: [...h.past.slice(0, -1), { ...last, store }] };
}

/** The same stacks with `e` in place of `old` (the same object), wherever it is. */
export function replaceEntry(h: HistoryState, old: HistoryEntry, e: HistoryEntry): HistoryState {
  const swap = (xs: HistoryEntry[]) => xs.map((x) => (x === old ? e : x));
  return { past: swap(h.past), future: swap(h.future) };
}

/**
 * Every entry with entity and link ids renamed by `map` (old id -> new id): a redo that writes a drawn entity
 * again gets a new id from the store, and later entries (a link drawn to it, a move) must follow it.
 */
export function renameIds(h: HistoryState, map: Record<string, string>): HistoryState {
  const r = (id: string): string => map[id] ?? id;
  const keys = <T>(o: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [r(k), v]));
  const one = (e: HistoryEntry): HistoryEntry => {
    switch (e.kind) {
      case 'add':
      case 'remove':
        return {
          ...e,
          nodes: e.nodes.map((n) => ({ ...n, id: r(n.id) })),
          edges: e.edges.map((x) => ({ ...x, id: r(x.id), source: r(x.source), target: r(x.target) })),
          ...(e.store ? { store: { ...e.store, id: r(e.store.id) } } : {}),
        };
      case 'move':
        return { ...e, before: keys(e.before), after: keys(e.after) };
      case 'style':
        return { ...e, before: keys(e.before), after: keys(e.after) };
    }
  };
  return { past: h.past.map(one), future: h.future.map(one) };
}
