// The resolver's records read from a real SQLite store: people with their phones and addresses, phones with
// their users, the whole store or one import's entities; and the likely duplicate found among them.
import { describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { loadResolverRecords } from '../../server/dedupe/records.ts';
import { findDuplicates } from '../../server/dedupe/resolver.ts';
import { sqliteTempFiles } from '../contract/sqlite-files.ts';

const files = sqliteTempFiles('linkchart-dedupe-');

describe('loadResolverRecords (SQLite)', () => {
  it('reads people, phones and vehicles with what they are linked to, and the duplicate is found', async () => {
    const s = await openSqliteStores(files.next());
    try {
      const ctx = { actor: 't' };
      const first = await s.graph.writeBatch(
        {
          entities: [
            { type: 'Person', label: 'John Smith', key: 'js-1', properties: { dob: '1990-03-04' } },
            { type: 'Phone', label: '07700 900123', properties: { number: '07700 900123' } },
            { type: 'Location', label: '1 High Street', properties: { postcode: 'M1 1AA' } },
            { type: 'Organisation', label: 'Smith Motors' },
          ],
          links: [
            {
              type: 'USES',
              from: { type: 'Person', key: 'js-1' },
              to: { type: 'Phone', key: '+447700900123' },
            },
            {
              type: 'RESIDES_AT',
              from: { type: 'Person', key: 'js-1' },
              to: { type: 'Location', key: 'M1 1AA' },
            },
          ],
        },
        ctx,
      );
      const second = await s.graph.writeBatch(
        {
          entities: [{ type: 'Person', label: 'Jon Smith', key: 'js-2' }],
          links: [
            {
              type: 'USES',
              from: { type: 'Person', key: 'js-2' },
              to: { type: 'Phone', key: '+447700900123' },
            },
          ],
        },
        { actor: 't', importId: 'imp-2' },
      );
      const [john, tel, home] = first.entityIds;
      const [jon] = second.entityIds;

      const all = await loadResolverRecords(s.graph);
      expect(all.map((r) => r.type).sort()).toEqual(['Person', 'Person', 'Phone']);
      const j = all.find((r) => r.id === john)!;
      expect(j.attributes['dob']).toBe('1990-03-04');
      expect(j.linked.map((l) => [l.id, l.type, l.relation]).sort()).toEqual(
        [
          [home, 'Location', 'RESIDES_AT'],
          [tel, 'Phone', 'USES'],
        ].sort(),
      );
      expect(
        all
          .find((r) => r.id === tel)!
          .linked.map((l) => l.id)
          .sort(),
      ).toEqual([john, jon].sort());

      const proposals = findDuplicates(all);
      expect(proposals).toHaveLength(1);
      expect(proposals[0]).toMatchObject({
        a: [john, jon].sort()[0],
        b: [john, jon].sort()[1],
        type: 'Person',
      });
      expect(proposals[0].evidence).toContain('both use 07700 900123');

      const scoped = await loadResolverRecords(s.graph, { entityIds: [jon] });
      expect(scoped.map((r) => r.id)).toEqual([jon]);
      expect(scoped[0].linked.map((l) => l.label)).toEqual(['07700 900123']);

      await expect(loadResolverRecords(s.graph, { maxRecords: 2 })).rejects.toMatchObject({
        code: 'too_large',
      });
    } finally {
      await s.close();
    }
  });
});
