// Exit 0 once Bolt answers a real query with the real password: used by neo4j.sh start.
import neo4j from 'neo4j-driver';

const driver = neo4j.driver(
  process.env.NEO4J_PROBE_URI ?? 'bolt://127.0.0.1:7687',
  neo4j.auth.basic('neo4j', process.env.NEO4J_PROBE_PASSWORD ?? ''),
  { connectionTimeout: 2000, maxConnectionLifetime: 5000 },
);
try {
  await driver.executeQuery('RETURN 1 AS ok');
  process.exitCode = 0;
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await driver.close();
}
