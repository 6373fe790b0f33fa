// Bringing ranked entities onto the chart with their links: the entities, and (when the ranking folded
// phones into people) the phones folded into them, so the calls that made them central are drawn; then
// every link between what is brought and what is already on the chart.
import type { Subgraph } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, showError } from '../state/app.ts';

/** Most entities one bring adds without asking. */
export const BRING_WARNING = 300;

export interface BringOptions {
  /** Also bring the phones the entities use (a person network folds them into their users). */
  withPhones: boolean;
  /** Bring every neighbour, not only phones (the start from the most central people shows surroundings). */
  withNeighbours?: boolean;
}

/** Which part of a neighbourhood to draw: the entities, their phones or neighbours, and links among all. */
export function pickBrought(
  sub: Pick<Subgraph, 'nodes' | 'links'>,
  ids: readonly string[],
  onChart: (id: string) => boolean,
  o: BringOptions,
): Pick<Subgraph, 'nodes' | 'links'> {
  const wanted = new Set(ids);
  const type = new Map(sub.nodes.map((e) => [e.id, e.type]));
  const keep = new Set<string>(ids.filter((id) => type.has(id)));
  for (const l of sub.links) {
    const [a, b] = [l.from, l.to];
    for (const [me, other] of [
      [a, b],
      [b, a],
    ] as const) {
      if (!wanted.has(me)) continue;
      if (o.withNeighbours) keep.add(other);
      else if (o.withPhones && (l.type === 'USES' || l.type === 'OWNS') && type.get(other) === 'Phone')
        keep.add(other);
    }
  }
  const there = (id: string) => keep.has(id) || onChart(id);
  return {
    nodes: sub.nodes.filter((e) => keep.has(e.id)),
    links: sub.links.filter((l) => there(l.from) && there(l.to) && (keep.has(l.from) || keep.has(l.to))),
  };
}

/** Brings the entities onto the chart and selects them; returns the ids added. */
export async function bringOntoChart(ids: string[], o: BringOptions, label: string): Promise<string[]> {
  if (!ids.length) return [];
  try {
    // Two hops when the entities' links run through their phones: person - phone - phone - person.
    const hops = o.withPhones && !o.withNeighbours ? 2 : 1;
    // A hub's two-hop neighbourhood can pass the server's interactive cap: then one hop (the phones, and
    // the links to what is already on the chart) is what is brought.
    const sub = await api
      .neighbourhood({ seeds: ids, hops, limit: 4000 })
      .catch((e: unknown) =>
        hops > 1 ? api.neighbourhood({ seeds: ids, hops: 1, limit: 4000 }) : Promise.reject(e),
      );
    const picked = pickBrought(sub, ids, (id) => chart.graph.hasNode(id), o);
    // Calls between two brought people's phones: the phones are both brought, so the link is kept above.
    const fresh = picked.nodes.filter((n) => !chart.graph.hasNode(n.id)).length;
    if (fresh > BRING_WARNING && !window.confirm(`This adds ${fresh} entities to the chart. Continue?`))
      return [];
    const hadNodes = chart.graph.order > 0;
    const r = chart.addSubgraph(picked, label);
    if (!hadNodes && r.nodes.length > 1) chart.quickLayout(150);
    else if (r.nodes.length) chart.reveal(r.nodes);
    appStore.set((s) => ({
      ...s,
      selection: { nodes: ids.filter((id) => chart.graph.hasNode(id)), edge: null },
      notice: `${label}: ${r.nodes.length} entities and ${r.edges.length} links added`,
    }));
    return r.nodes;
  } catch (e) {
    appStore.set((s) => showError(s, e));
    return [];
  }
}
