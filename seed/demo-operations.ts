// The demo's operations: the county-lines network is the open operation KESTREL (owner demo), and a closed
// operation HALYARD (owner dsmith) holds a small supplier network that shares two of KESTREL's phones and one
// of its vehicles, so the demo opens with three deconfliction notices waiting. The demo user is a member of
// KESTREL only: everything they see of the demo (549 entities, 1092 links, 64 reports) is as before, and
// none of HALYARD's people, links or reports.
import type { Entity, EntityInput, LinkInput, ReportInput } from '../server/domain/model.ts';
import { naturalKey } from '../server/domain/keys.ts';
import type { Operation } from '../server/domain/operations.ts';
import type { Stores } from '../server/store/stores.ts';
import { addDemoDuplicates } from './demo-duplicates.ts';
import { loadSeed, type LoadSeedResult } from './load.ts';

export const DEMO_OWNER = 'demo';
export const HALYARD_OWNER = 'dsmith';
export const KESTREL = { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' } as const;
export const HALYARD = { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' } as const;

/** Creates KESTREL (open, owned by the demo user); the demo network is then written into it. */
export async function createKestrel(stores: Stores): Promise<Operation> {
  return (
    (await stores.operations.getByRef(KESTREL.ref)) ??
    stores.operations.create(KESTREL, { actor: DEMO_OWNER })
  );
}

/** The first `n` entities of a type, in id order (the seed writes them in a fixed order). */
async function firstOf(stores: Stores, type: Entity['type'], n: number): Promise<Entity[]> {
  return (await stores.graph.listEntities({ type, limit: n })).items;
}

const UNIT_POSTCODE = 'B9 4AA';

const REPORTS: ReportInput[] = [
  {
    ref: 'HAL-2024-0007',
    date: '2024-04-18',
    author: 'DS Smith',
    text: 'Supplier meets couriers at the unit; two handsets are passed on to the county line.',
    source: 1,
    intel: 'B',
    handling: 'C',
    conditions: 'Do not disseminate outside HALYARD without the SIO',
  },
  {
    ref: 'HAL-2024-0011',
    date: '2024-05-02',
    author: 'DS Smith',
    text: 'The van collects from the unit twice a week.',
    source: 2,
    intel: 'B',
    handling: 'P',
  },
];

/**
 * Creates HALYARD and writes its supplier network into it: two people, a unit, a phone of their own, and two
 * phones and a vehicle KESTREL already holds. Each of those three joins HALYARD in the write, which leaves a
 * deconfliction notice for it. Returns the operation; run once, on a store holding KESTREL's demo network.
 */
export async function addHalyard(stores: Stores): Promise<Operation> {
  const existing = await stores.operations.getByRef(HALYARD.ref);
  if (existing) return existing;
  const halyard = await stores.operations.create(HALYARD, { actor: HALYARD_OWNER });
  const phones = await firstOf(stores, 'Phone', 2);
  const [van] = await firstOf(stores, 'Vehicle', 1);
  if (phones.length < 2 || !van) throw new Error('the demo network has no phones or vehicle to share');
  const shared: EntityInput[] = [
    ...phones.map((p) => ({
      type: 'Phone' as const,
      label: p.label,
      key: p.key,
      reports: ['HAL-2024-0007'],
    })),
    { type: 'Vehicle', label: van.label, key: van.key, reports: ['HAL-2024-0011'] },
  ];
  const entities: EntityInput[] = [
    {
      type: 'Person',
      label: 'Marek Zielinski',
      key: 'hal-supplier-1',
      properties: { dob: '1979-09-14', role: 'supplier' },
      reports: ['HAL-2024-0007'],
    },
    {
      type: 'Person',
      label: 'Tomasz Brandt',
      key: 'hal-supplier-2',
      properties: { dob: '1986-02-03', role: 'driver' },
      reports: ['HAL-2024-0011'],
    },
    { type: 'Location', label: 'Unit 4, Canal Works', properties: { postcode: UNIT_POSTCODE } },
    { type: 'Phone', label: '07700 900731', properties: { number: '07700 900731' } },
    ...shared,
  ];
  const unit = { type: 'Location' as const, key: naturalKey('Location', '', { postcode: UNIT_POSTCODE }) };
  const M = { type: 'Person' as const, key: 'hal-supplier-1' };
  const T = { type: 'Person' as const, key: 'hal-supplier-2' };
  const links: LinkInput[] = [
    { type: 'ASSOCIATE_OF', from: M, to: T, reports: ['HAL-2024-0007'] },
    { type: 'USES', from: M, to: { type: 'Phone', key: '+447700900731' } },
    { type: 'OWNS', from: M, to: { type: 'Phone', key: phones[0].key }, reports: ['HAL-2024-0007'] },
    { type: 'OWNS', from: M, to: { type: 'Phone', key: phones[1].key }, reports: ['HAL-2024-0007'] },
    { type: 'USES', from: T, to: { type: 'Vehicle', key: van.key }, reports: ['HAL-2024-0011'] },
    { type: 'FREQUENTS', from: M, to: unit, reports: ['HAL-2024-0007'] },
    {
      type: 'SIGHTED_AT',
      from: { type: 'Vehicle', key: van.key },
      to: unit,
      reports: ['HAL-2024-0011'],
    },
  ];
  await stores.graph.writeBatch(
    { reports: REPORTS, entities, links },
    { actor: HALYARD_OWNER, importId: 'seed-demo-halyard', operationId: halyard.id },
  );
  return halyard;
}

/**
 * The whole demo: KESTREL with the county-lines network (its arrest on 2024-07-01 included) and the people
 * recorded twice, then HALYARD sharing two phones and a vehicle with it.
 */
export async function seedDemo(stores: Stores): Promise<LoadSeedResult> {
  const kestrel = await createKestrel(stores);
  const loaded = await loadSeed(stores, { size: 'demo', intervention: true, operationId: kestrel.id });
  await addDemoDuplicates(stores, kestrel.id);
  await addHalyard(stores);
  return loaded;
}
