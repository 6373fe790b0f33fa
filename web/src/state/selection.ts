// Selection: an ordered list of node ids (order matters: "path from the first to the second", "merge the
// second into the first") and at most one selected link.
export interface SelectionState {
  nodes: string[];
  edge: string | null;
}

export const EMPTY_SELECTION: SelectionState = { nodes: [], edge: null };

/** Click: select only this node; shift-click (additive): toggle it in the selection. */
export function clickNode(s: SelectionState, id: string, additive: boolean): SelectionState {
  if (!additive) return { nodes: [id], edge: null };
  return s.nodes.includes(id)
    ? { nodes: s.nodes.filter((n) => n !== id), edge: null }
    : { nodes: [...s.nodes, id], edge: null };
}

export function selectNodes(s: SelectionState, ids: string[], additive: boolean): SelectionState {
  const base = additive ? s.nodes : [];
  const seen = new Set(base);
  return { nodes: [...base, ...ids.filter((i) => !seen.has(i) && (seen.add(i), true))], edge: null };
}

export function selectEdge(_s: SelectionState, id: string): SelectionState {
  return { nodes: [], edge: id };
}

/** Drop ids that are no longer on the chart. */
export function pruneSelection(
  s: SelectionState,
  exists: (id: string) => boolean,
  edgeExists: (id: string) => boolean,
): SelectionState {
  const nodes = s.nodes.filter(exists);
  const edge = s.edge && edgeExists(s.edge) ? s.edge : null;
  return nodes.length === s.nodes.length && edge === s.edge ? s : { nodes, edge };
}
