// Global test setup. Each subsystem that needs an external service (Neo4j) registers its start/stop here.
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];
  return async () => {
    for (const t of teardowns.reverse()) await t();
  };
}
