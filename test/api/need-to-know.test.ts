// Need-to-know through the whole API on SQLite (the suite: need-to-know-suite.ts; on Neo4j:
// test/neo4j/need-to-know.test.ts).
import { needToKnowSuite } from './need-to-know-suite.ts';
import { startOpsHarness } from './ops-harness.ts';

needToKnowSuite('SQLite', () => startOpsHarness(), { setupMs: 120_000 });
