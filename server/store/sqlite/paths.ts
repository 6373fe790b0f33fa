// Graph walks over a neighbour function, shared by the SQLite store's neighbourhood and shortest paths.
import type { PathResult } from '../../domain/model.ts';

export interface Step {
  /** The entity at the other end. */
  other: number;
  link: number;
}

/**
 * All shortest paths (fewest links, direction ignored) from `source` to `target`, breadth first by layers.
 * Stops at `maxHops`; returns at most `limit` paths, each a list of node ids and the link ids between them.
 */
export function allShortestPaths(
  source: number,
  target: number,
  neighbours: (node: number) => Step[],
  opts: { maxHops: number; limit: number },
): { nodes: number[]; links: number[] }[] {
  if (source === target) return [{ nodes: [source], links: [] }];
  const dist = new Map<number, number>([[source, 0]]);
  const preds = new Map<number, Step[]>();
  let frontier = [source];
  let found = false;
  for (let d = 0; d < opts.maxHops && frontier.length > 0 && !found; d++) {
    const next: number[] = [];
    for (const u of frontier) {
      for (const s of neighbours(u)) {
        const dv = dist.get(s.other);
        if (dv === undefined) {
          dist.set(s.other, d + 1);
          preds.set(s.other, [{ other: u, link: s.link }]);
          next.push(s.other);
          if (s.other === target) found = true;
        } else if (dv === d + 1) {
          preds.get(s.other)!.push({ other: u, link: s.link });
        }
      }
    }
    frontier = next;
  }
  if (!found) return [];
  // Predecessors by entity number, then link number: the order the Neo4j store walks them too, so the first
  // `limit` of many equal paths are the same paths on both stores, whatever order the neighbours came in.
  for (const list of preds.values()) list.sort((x, y) => x.other - y.other || x.link - y.link);
  // Walk the predecessor lists back from the target, depth first, until `limit` paths.
  const out: { nodes: number[]; links: number[] }[] = [];
  const nodes: number[] = [target];
  const links: number[] = [];
  const walk = (v: number): void => {
    if (out.length >= opts.limit) return;
    if (v === source) {
      out.push({ nodes: [...nodes].reverse(), links: [...links].reverse() });
      return;
    }
    for (const p of preds.get(v) ?? []) {
      nodes.push(p.other);
      links.push(p.link);
      walk(p.other);
      nodes.pop();
      links.pop();
      if (out.length >= opts.limit) return;
    }
  };
  walk(target);
  return out;
}

export function toPathResult(
  p: { nodes: number[]; links: number[] },
  eid: (n: number) => string,
  lid: (n: number) => string,
): PathResult {
  return { nodes: p.nodes.map(eid), links: p.links.map(lid) };
}
