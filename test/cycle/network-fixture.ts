// A small dated network for the cycle's API and browser tests: two crews joined by a broker (Dean
// Cole); on 2024-07-01 Dean is arrested and Kerry Moss, already in crew A, starts meeting crew B.
// People are linked to dated, categorised events so RFG has something to score.
import type { WriteBatch } from '../../server/store/graph-store.ts';

const P = (label: string) => ({ type: 'Person' as const, key: label.toLowerCase() });
const E = (label: string) => ({ type: 'Event' as const, key: label.toLowerCase() });

export function cycleFixture(): WriteBatch {
  const crewA = ['Amy Shaw', 'Ben Hart', 'Kerry Moss', 'Carl Dunn'];
  const crewB = ['Dora Finch', 'Eli Grant', 'Faye Holt', 'Gus Ince'];
  const people = [...crewA, ...crewB, 'Dean Cole'];
  const events: Array<[string, string, string, string[]]> = [
    ['Shooting at Elm Park', '2024-06-10', 'firearms', ['Dean Cole', 'Eli Grant']],
    ['Robbery at Ship Inn', '2024-05-02', 'robbery', ['Amy Shaw', 'Dean Cole']],
    ['Supply at Mill Lane', '2024-03-20', 'drug supply', ['Kerry Moss', 'Ben Hart']],
    ['Assault at bus station', '2023-11-01', 'assault', ['Gus Ince']],
  ];
  const links: NonNullable<WriteBatch['links']> = [];
  const assoc = (a: string, b: string, firstSeen: string, lastSeen: string) =>
    links.push({ type: 'ASSOCIATE_OF', from: P(a), to: P(b), firstSeen, lastSeen });
  // Crews: everyone knows everyone, throughout.
  for (const crew of [crewA, crewB])
    crew.forEach((a, i) => crew.slice(i + 1).forEach((b) => assoc(a, b, '2024-01-01', '2024-12-31')));
  // Dean bridges the crews until his arrest.
  assoc('Dean Cole', 'Amy Shaw', '2024-01-05', '2024-06-30');
  assoc('Dean Cole', 'Dora Finch', '2024-01-05', '2024-06-30');
  // Kerry takes over.
  assoc('Kerry Moss', 'Dora Finch', '2024-07-10', '2024-12-31');
  for (const [label, date, , who] of events)
    for (const w of who)
      links.push({ type: 'INVOLVED_IN', from: P(w), to: E(label), firstSeen: date, lastSeen: date });
  return {
    entities: [
      ...people.map((label) => ({ type: 'Person' as const, label, key: label.toLowerCase() })),
      ...events.map(([label, date, category]) => ({
        type: 'Event' as const,
        label,
        key: label.toLowerCase(),
        properties: { date, category },
      })),
    ],
    links,
  };
}
