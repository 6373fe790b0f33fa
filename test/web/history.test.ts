// Undo history with drawings in the store (web/src/state/history.ts): a drawing's entry carries what it wrote,
// an undo's outcome replaces the entry in place, and a redo that writes an entity again under a new id renames
// it in every entry that names it.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_HISTORY,
  inverse,
  markDrawn,
  record,
  renameIds,
  replaceEntry,
  undo,
  type HistoryEntry,
  type StoreRecord,
} from '../../web/src/state/history.ts';

const drawn: StoreRecord = {
  kind: 'entity',
  id: 'e1',
  created: true,
  report: { ref: 'R1' },
  input: { type: 'Person', label: 'Ghost' },
  status: 'in-store',
};
const addGhost: HistoryEntry = {
  kind: 'add',
  label: 'draw Ghost',
  nodes: [{ id: 'e1', attributes: { label: 'Ghost' } }],
  edges: [],
};

describe('history with drawings', () => {
  it('marks only the newest add as drawn, and the mark survives undo and inverse', () => {
    let h = record(EMPTY_HISTORY, addGhost);
    h = markDrawn(h, drawn);
    expect(h.past[0]).toMatchObject({ kind: 'add', store: drawn });
    const moved = record(h, { kind: 'move', label: 'move', before: {}, after: {} });
    expect(markDrawn(moved, drawn)).toBe(moved);
    const u = undo(h);
    expect(u.entry && inverse(u.entry)).toMatchObject({ kind: 'remove', store: drawn });
    expect(markDrawn(EMPTY_HISTORY, drawn)).toBe(EMPTY_HISTORY);
  });

  it('replaces one entry in place, in either stack', () => {
    const h = markDrawn(record(EMPTY_HISTORY, addGhost), drawn);
    const u = undo(h).history;
    const old = u.future[0];
    const kept = {
      ...old,
      store: { ...drawn, status: 'kept' as const, why: 'linked since' },
    } as HistoryEntry;
    const r = replaceEntry(u, old, kept);
    expect(r.future[0]).toBe(kept);
    expect(r.past).toEqual(u.past);
  });

  it('renames a re-written entity in every entry, its links and moves included', () => {
    let h = markDrawn(record(EMPTY_HISTORY, addGhost), drawn);
    h = record(h, {
      kind: 'add',
      label: 'draw ASSOCIATE_OF',
      nodes: [],
      edges: [{ id: 'l9', source: 'e1', target: 'e2', attributes: {} }],
    });
    h = record(h, { kind: 'move', label: 'move', before: { e1: [0, 0], e2: [1, 1] }, after: { e1: [5, 5] } });
    h = record(h, {
      kind: 'style',
      label: 'pin',
      before: { e1: { fixed: false } },
      after: { e1: { fixed: true } },
    });
    const r = renameIds(h, { e1: 'e77' });
    const json = JSON.stringify(r);
    expect(json).not.toContain('"e1"');
    expect(r.past[0]).toMatchObject({ nodes: [{ id: 'e77' }], store: { id: 'e77' } });
    expect(r.past[1]).toMatchObject({ edges: [{ id: 'l9', source: 'e77', target: 'e2' }] });
    expect(r.past[2]).toMatchObject({ before: { e77: [0, 0], e2: [1, 1] }, after: { e77: [5, 5] } });
    expect(r.past[3]).toMatchObject({ after: { e77: { fixed: true } } });
    expect(renameIds(h, {})).toEqual(h);
  });
});
