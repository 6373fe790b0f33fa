// Need-to-know through the whole API on Neo4j: the same suite as on SQLite (test/api/need-to-know-suite.ts),
// the server on the project's Neo4j test server, seeded the same way through the API: an outsider of the
// closed HALYARD walks every route of the OpenAPI document and gets nothing of it; a member gets it all.
import { describe } from 'vitest';
import { needToKnowSuite } from '../api/need-to-know-suite.ts';
import { startOpsHarness } from '../api/ops-harness.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

describe.skipIf(!avail.ok)('Neo4j', () => {
  let release: () => void = () => {};
  needToKnowSuite(
    'Neo4j',
    async () => {
      release = await lockDatabase();
      if (!avail.ok) throw new Error(avail.reason);
      return startOpsHarness(await avail.server.freshStore());
    },
    {
      setupMs: LOCK_WAIT_MS + 180_000,
      after: async () => {
        release();
        if (avail.ok) await avail.server.close();
      },
    },
  );
});
