// Global test setup. Each subsystem that needs an external service (Neo4j) registers its start/stop here.
import setupNeo4j from './neo4j.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];
  teardowns.push(await setupNeo4j());
  return async () => {
    for (const t of teardowns.reverse()) await t();
  };
}
