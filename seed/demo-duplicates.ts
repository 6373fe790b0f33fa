// A few believable duplicates for the demo, so its "Possible duplicates" queue has work in it: people of the
// demo network recorded a second time by a neighbouring force's stop check (the same date of birth, no
// police reference yet), once with the name spelled as it was heard. They carry a report of their own and no links, so the
// network's analyses (rankings, the review) are the same as without them.
import type { Entity, EntityInput, ReportInput } from '../server/domain/model.ts';
import type { Stores } from '../server/store/stores.ts';

/** Which of the demo's people (by position among those with a date of birth) get a second record. */
const PICKS = [3, 11, 27, 40];

/** "Dean Cole" -> "Deen Cole": one vowel heard differently. */
function misheard(label: string): string {
  return label.replace(/([^aeiou\s])([aeiou])/i, (_m, c: string, v: string) => c + (v === 'e' ? 'ee' : 'e'));
}

/** `operationId`: where they are written (the demo's KESTREL); absent: the GENERAL operation. */
export async function addDemoDuplicates(stores: Stores, operationId?: string): Promise<number> {
  const people: Entity[] = [];
  for (let offset = 0; people.length <= Math.max(...PICKS); offset += 200) {
    const page = await stores.graph.listEntities({ type: 'Person', offset, limit: 200 });
    people.push(...page.items.filter((e) => typeof e.properties.dob === 'string'));
    if (page.items.length < 200) break;
  }
  const chosen = PICKS.map((i) => people[i]).filter((e): e is Entity => e !== undefined);
  const reports: ReportInput[] = [];
  const entities: EntityInput[] = [];
  chosen.forEach((p, i) => {
    const ref = `WMP-2024-${String(4100 + i * 37)}`;
    const label = i === chosen.length - 1 ? misheard(p.label) : p.label;
    reports.push({
      ref,
      date: `2024-05-${String(10 + i * 3).padStart(2, '0')}`,
      author: 'DC Ellis (neighbouring force)',
      text: `Stop check: ${label}, born ${String(p.properties.dob)}, gave an address in the force area.`,
      source: 2,
      intel: 'B',
      handling: 'P',
    });
    entities.push({
      type: 'Person',
      label,
      key: `wmp-${4100 + i * 37}`,
      properties: {
        dob: p.properties.dob as string,
        role: 'stop check',
      },
      reports: [ref],
    });
  });
  if (entities.length === 0) return 0;
  await stores.graph.writeBatch(
    { reports, entities },
    { actor: 'seed', importId: 'seed-demo-duplicates', ...(operationId ? { operationId } : {}) },
  );
  return entities.length;
}
