// The person-to-person links of the person network, with what lies behind each: the calls between the
// people's phones (how many, over which links and phones). A phone belongs to the person with the
// strongest USES/OWNS link to it, the first on a tie: the rule the server's fold uses
// (server/analysis/view.ts), so a contact listed here is a link the ranking counted.
import type { Entity, Link, Subgraph } from '@domain/model.ts';

export interface Contact {
  person: string;
  label: string;
  /** Calls behind the link: the summed strength (call count) of the CALLED links between their phones. */
  calls: number;
  links: string[];
  /** The phones at both ends. */
  phones: string[];
}

/** Who uses each phone in the subgraph, by the server's folding rule. */
export function phoneUsers(sub: Pick<Subgraph, 'nodes' | 'links'>): Map<string, string> {
  const type = new Map(sub.nodes.map((e) => [e.id, e.type]));
  const best = new Map<string, { person: string; w: number }>();
  for (const l of sub.links) {
    if ((l.type === 'USES' || l.type === 'OWNS') && type.get(l.to) === 'Phone') {
      const cur = best.get(l.to);
      if (!cur || l.weight > cur.w) best.set(l.to, { person: l.from, w: l.weight });
    }
  }
  return new Map([...best].map(([phone, b]) => [phone, b.person]));
}

/** The person's contacts through phones, most calls first. */
export function personContacts(sub: Pick<Subgraph, 'nodes' | 'links'>, person: string): Contact[] {
  const users = phoneUsers(sub);
  const label = new Map(sub.nodes.map((e) => [e.id, e.label]));
  const out = new Map<string, Contact>();
  const at = (id: string) => users.get(id) ?? id;
  for (const l of sub.links) {
    if (l.type !== 'CALLED') continue;
    const [a, b] = [at(l.from), at(l.to)];
    if (a === b || (a !== person && b !== person)) continue;
    const other = a === person ? b : a;
    const c = out.get(other) ?? {
      person: other,
      label: label.get(other) ?? other,
      calls: 0,
      links: [],
      phones: [],
    };
    c.calls += l.weight;
    c.links.push(l.id);
    for (const p of [l.from, l.to]) if (!c.phones.includes(p)) c.phones.push(p);
    out.set(other, c);
  }
  return [...out.values()].sort((x, y) => y.calls - x.calls || x.label.localeCompare(y.label));
}

/** The part of the subgraph behind one contact: both people, the phones, their USES/OWNS and the calls. */
export function behindContact(
  sub: Pick<Subgraph, 'nodes' | 'links'>,
  person: string,
  c: Contact,
): { nodes: Entity[]; links: Link[] } {
  const users = phoneUsers(sub);
  const ids = new Set([person, c.person, ...c.phones]);
  const calls = new Set(c.links);
  return {
    nodes: sub.nodes.filter((e) => ids.has(e.id)),
    links: sub.links.filter(
      (l) =>
        calls.has(l.id) ||
        ((l.type === 'USES' || l.type === 'OWNS') &&
          ids.has(l.to) &&
          users.get(l.to) === l.from &&
          ids.has(l.from)),
    ),
  };
}
