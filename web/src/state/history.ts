// Undo and redo of chart edits as data: each entry says what changed in a form the controller can apply
// forwards or backwards. The stack is bounded so a long session does not grow without limit.
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

export type HistoryEntry =
  | { kind: 'add'; label: string; nodes: NodeSnapshot[]; edges: EdgeSnapshot[] }
  | { kind: 'remove'; label: string; nodes: NodeSnapshot[]; edges: EdgeSnapshot[] }
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
