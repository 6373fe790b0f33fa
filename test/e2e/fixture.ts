// A small graded network for the end-to-end tests when the seed generator (seed/load.ts) is not available:
// three crews joined by brokers, with phones, vehicles, places with coordinates, and reports of every
// grading including C-coded ones with conditions. Deterministic.
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { naturalKey } from '../../server/domain/keys.ts';
import type { EntityType } from '../../server/domain/model.ts';

const ref = (type: EntityType, label: string, props: Record<string, string | number> = {}) => ({
  type,
  key: naturalKey(type, label, props),
});

export function fixtureBatch(): WriteBatch {
  const reports: NonNullable<WriteBatch['reports']> = [];
  const entities: NonNullable<WriteBatch['entities']> = [];
  const links: NonNullable<WriteBatch['links']> = [];
  const grades: Array<[1 | 2 | 3, 'A' | 'B' | 'C' | 'D' | 'E', 'P' | 'C']> = [
    [1, 'A', 'P'],
    [2, 'B', 'P'],
    [1, 'B', 'C'],
    [2, 'C', 'P'],
    [3, 'D', 'P'],
  ];
  grades.forEach(([source, intel, handling], i) =>
    reports.push({
      ref: `FX-${i + 1}`,
      date: `2024-0${i + 1}-15`,
      author: 'DC Fixture',
      text: `Fixture report ${i + 1}`,
      source,
      intel,
      handling,
      conditions: handling === 'C' ? 'Not to be disclosed outside the operation team' : undefined,
    }),
  );
  const rep = (i: number): string[] => [`FX-${(i % 5) + 1}`];
  const first = ['Aaron', 'Bella', 'Carl', 'Dana', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kai', 'Lena'];
  const last = ['Marsh', 'Noble', 'Okafor'];
  const people: string[] = [];
  last.forEach((l, c) =>
    first.forEach((f, i) => {
      const label = `${f} ${l}`;
      people.push(label);
      entities.push({ type: 'Person', label, properties: { crew: c + 1 }, reports: rep(i + c) });
      // Each person has a phone; the first three of a crew also a vehicle.
      entities.push({ type: 'Phone', label: `07700 9${c}0${String(i).padStart(3, '0')}`, reports: rep(i) });
      links.push({
        type: 'USES',
        from: ref('Person', label),
        to: ref('Phone', `07700 9${c}0${String(i).padStart(3, '0')}`),
        firstSeen: `2024-0${(i % 9) + 1}-01`,
        lastSeen: '2024-10-01',
        reports: rep(i),
      });
    }),
  );
  const places = [
    ['Piccadilly Gardens', 53.4809, -2.2374],
    ['Moss Side Car Wash', 53.4595, -2.2464],
    ['Salford Quays Unit 4', 53.4723, -2.2935],
  ] as const;
  for (const [name, lat, lon] of places)
    entities.push({ type: 'Location', label: name, properties: { lat, lon }, reports: ['FX-1'] });
  entities.push({ type: 'Organisation', label: 'Northside Motors Ltd', properties: {}, reports: ['FX-2'] });
  // Within a crew: a chain plus a hub (the first person), so crews have a clear centre.
  last.forEach((_l, c) => {
    const crew = people.slice(c * 12, c * 12 + 12);
    crew.forEach((p, i) => {
      if (i > 0)
        links.push({
          type: 'ASSOCIATE_OF',
          from: ref('Person', crew[0]),
          to: ref('Person', p),
          weight: 1 + (i % 3),
          firstSeen: `2024-0${(i % 9) + 1}-10`,
          lastSeen: '2024-11-01',
          reports: rep(i + c),
        });
      if (i > 1)
        links.push({
          type: 'ASSOCIATE_OF',
          from: ref('Person', crew[i - 1]),
          to: ref('Person', p),
          reports: rep(i),
        });
    });
    links.push({
      type: 'FREQUENTS',
      from: ref('Person', crew[0]),
      to: ref('Location', places[c][0], { lat: places[c][1], lon: places[c][2] }),
      reports: ['FX-1'],
    });
  });
  // Brokers: the second person of crew 2 links crews 1 and 3.
  links.push({
    type: 'ASSOCIATE_OF',
    from: ref('Person', people[13]),
    to: ref('Person', people[3]),
    reports: ['FX-3'],
  });
  links.push({
    type: 'ASSOCIATE_OF',
    from: ref('Person', people[13]),
    to: ref('Person', people[27]),
    reports: ['FX-2'],
  });
  // Phones call each other across crews (parallel links of different types between people via phones).
  for (let i = 0; i < 10; i++)
    links.push({
      type: 'CALLED',
      from: ref('Phone', `07700 9${i % 3}0${String(i).padStart(3, '0')}`),
      to: ref('Phone', `07700 9${(i + 1) % 3}0${String(i + 1).padStart(3, '0')}`),
      weight: 3 + i * 4,
      firstSeen: '2024-03-01',
      lastSeen: '2024-09-30',
      reports: ['FX-4'],
    });
  links.push({
    type: 'MEMBER_OF',
    from: ref('Person', people[0]),
    to: ref('Organisation', 'Northside Motors Ltd'),
    reports: ['FX-2'],
  });
  return { reports, entities, links };
}
