// The person network's links as the analyst opens them: calls between phones counted as contact between
// the people who use them, each phone going to its strongest user (the server's folding rule).
import { describe, expect, it } from 'vitest';
import type { Entity, EntityType, Link, LinkType } from '../../server/domain/model.ts';
import { behindContact, personContacts, phoneUsers } from '../../web/src/analysis/contacts.ts';

const ent = (id: string, type: EntityType = 'Person'): Entity =>
  ({ id, type, label: id.toUpperCase(), key: id, properties: {} }) as unknown as Entity;
const lnk = (id: string, from: string, to: string, type: LinkType, weight = 1): Link =>
  ({
    id,
    from,
    to,
    type,
    weight,
    directed: type === 'CALLED',
    firstSeen: null,
    lastSeen: null,
    grading: null,
  }) as unknown as Link;

describe('person contacts through phones', () => {
  const sub = {
    nodes: [
      ent('p1'),
      ent('p2'),
      ent('p3'),
      ent('ph1', 'Phone'),
      ent('ph2', 'Phone'),
      ent('ph3', 'Phone'),
      ent('ph4', 'Phone'),
    ],
    links: [
      lnk('u1', 'p1', 'ph1', 'USES'),
      lnk('u4', 'p1', 'ph4', 'USES'),
      lnk('u2', 'p2', 'ph2', 'USES', 3),
      // ph2 is also used, less, by p3: it folds into p2.
      lnk('u3', 'p3', 'ph2', 'USES', 1),
      lnk('u5', 'p3', 'ph3', 'USES'),
      lnk('c1', 'ph1', 'ph2', 'CALLED', 40),
      lnk('c2', 'ph2', 'ph4', 'CALLED', 2),
      lnk('c3', 'ph3', 'ph1', 'CALLED', 5),
      // Calls between one person's own phones are no contact.
      lnk('c4', 'ph1', 'ph4', 'CALLED', 9),
    ],
  };
  it('folds each phone into its strongest user', () => {
    expect(phoneUsers(sub).get('ph2')).toBe('p2');
    expect(phoneUsers(sub).get('ph4')).toBe('p1');
  });
  it('sums the calls behind each person-to-person link, most first', () => {
    const c = personContacts(sub, 'p1');
    expect(c.map((x) => [x.person, x.calls, x.links.length])).toEqual([
      ['p2', 42, 2],
      ['p3', 5, 1],
    ]);
    expect(c[0].phones.sort()).toEqual(['ph1', 'ph2', 'ph4']);
  });
  it('opens the phones behind one link: both people, their phones, their use and the calls', () => {
    const c = personContacts(sub, 'p1')[0];
    const b = behindContact(sub, 'p1', c);
    expect(b.nodes.map((n) => n.id).sort()).toEqual(['p1', 'p2', 'ph1', 'ph2', 'ph4']);
    expect(b.links.map((l) => l.id).sort()).toEqual(['c1', 'c2', 'u1', 'u2', 'u4']);
  });
});
