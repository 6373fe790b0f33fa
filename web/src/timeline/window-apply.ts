// The chart's CALLED and SIGHTED_AT links set to a window's figures and back (pure over the graph; the
// figures come from the server's view over the window, window-links.ts).
import type Graph from 'graphology';
import type { Link } from '@domain/model.ts';
import { edgeThickness } from '../graph/style.ts';

export const EVENT_LINKS = ['CALLED', 'SIGHTED_AT'] as const;

interface Counts {
  weight: number;
  firstSeen: string | null;
  lastSeen: string | null;
  size: number;
}

/**
 * Sets the chart's CALLED and SIGHTED_AT links to the window's figures: `inView` holds the view's links
 * over the window (their counts from the calls inside it). A link not in it is marked out of the window.
 * The links' own figures are kept aside (`allCounts`) and put back by `restore`. Returns whether any
 * link changed.
 */
export function applyWindow(graph: Graph, key: string, inView: ReadonlyMap<string, Link>): boolean {
  let changed = false;
  graph.forEachEdge((e, a) => {
    if (!EVENT_LINKS.includes(a.ltype as (typeof EVENT_LINKS)[number])) return;
    const all = (a.allCounts as Counts | undefined) ?? {
      weight: Number(a.weight),
      firstSeen: (a.firstSeen as string | null) ?? null,
      lastSeen: (a.lastSeen as string | null) ?? null,
      size: Number(a.size),
    };
    const l = inView.get(e);
    const now: Counts = l
      ? { weight: l.weight, firstSeen: l.firstSeen, lastSeen: l.lastSeen, size: edgeThickness(l.weight) }
      : all;
    if (a.windowKey === key && a.inWindow === Boolean(l) && a.weight === now.weight) return;
    graph.mergeEdgeAttributes(e, { ...now, allCounts: all, windowKey: key, inWindow: Boolean(l) });
    changed = true;
  });
  return changed;
}

/** Puts every link's own figures back; returns whether any link changed. */
export function restore(graph: Graph): boolean {
  let changed = false;
  graph.forEachEdge((e, a) => {
    const all = a.allCounts as Counts | undefined;
    if (!all && a.windowKey === undefined) return;
    graph.updateEdgeAttributes(e, (x) => {
      const { allCounts: _a, windowKey: _k, inWindow: _i, ...rest } = x;
      return all ? { ...rest, ...all } : rest;
    });
    changed = true;
  });
  return changed;
}
