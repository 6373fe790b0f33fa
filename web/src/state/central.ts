// Who is central in a store view before any analysis has run: the empty state's starting point.
import type { Subgraph } from '@domain/model.ts';

/**
 * Scores people by how connected they are, counting contact through the phones they use (phones folded into
 * their users: a call between two phones is contact between the people behind them) as well as direct links.
 */
export function personContactScores(view: Pick<Subgraph, 'nodes' | 'links'>): Map<string, number> {
  const type = new Map(view.nodes.map((e) => [e.id, e.type]));
  const usersOf = new Map<string, string[]>();
  for (const l of view.links) {
    if (
      (l.type === 'USES' || l.type === 'OWNS') &&
      type.get(l.from) === 'Person' &&
      type.get(l.to) === 'Phone'
    ) {
      const u = usersOf.get(l.to) ?? [];
      u.push(l.from);
      usersOf.set(l.to, u);
    }
  }
  const score = new Map<string, number>();
  const add = (p: string, w: number): void => void score.set(p, (score.get(p) ?? 0) + w);
  for (const l of view.links) {
    const a = type.get(l.from) === 'Person' ? [l.from] : (usersOf.get(l.from) ?? []);
    const b = type.get(l.to) === 'Person' ? [l.to] : (usersOf.get(l.to) ?? []);
    if (l.type === 'USES' || l.type === 'OWNS') continue;
    for (const p of a) add(p, l.weight);
    for (const p of b) add(p, l.weight);
  }
  for (const e of view.nodes) if (e.type === 'Person' && !score.has(e.id)) score.set(e.id, 0);
  return score;
}
