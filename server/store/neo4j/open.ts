// The Neo4j store from the environment: NEO4J_URI (bolt:// or neo4j://), NEO4J_USER (default neo4j),
// NEO4J_PASSWORD, NEO4J_DATABASE (default: the server's default database).
import { StoreError } from '../common.ts';
import { redactUri } from './context.ts';
import { Neo4jStores } from './stores.ts';

export interface Neo4jEnvConfig {
  uri: string;
  user: string;
  password: string;
  database?: string;
}

export function neo4jConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Neo4jEnvConfig | null {
  const uri = env.NEO4J_URI?.trim();
  if (!uri) return null;
  if (!/^(bolt|neo4j)(\+s|\+ssc)?:\/\//.test(uri)) {
    throw new Error(
      `NEO4J_URI ${JSON.stringify(redactUri(uri))} is not a Neo4j address: use bolt://host:7687 or neo4j://host:7687`,
    );
  }
  return {
    uri,
    user: env.NEO4J_USER?.trim() || 'neo4j',
    password: env.NEO4J_PASSWORD ?? '',
    database: env.NEO4J_DATABASE?.trim() || undefined,
  };
}

/**
 * Opens the Neo4j stores. If the server cannot be reached now, says so on stderr and returns the store all the
 * same: every call answers StoreError('unavailable') (HTTP 503) until the server is back, and the schema is
 * applied on the first call that reaches it. Wrong credentials or a bad address stop the start-up instead.
 */
export async function openNeo4jFromEnv(
  cfg: Neo4jEnvConfig,
  log: (msg: string) => void = (m) => console.error(m),
): Promise<Neo4jStores> {
  const stores = new Neo4jStores(cfg);
  try {
    await stores.init();
  } catch (e) {
    if (e instanceof StoreError && e.code === 'unavailable' && !/credentials/.test(e.message)) {
      log(
        `linkchart: ${e.message}. Starting anyway: the API answers 503 until Neo4j is reachable, then recovers by itself.`,
      );
      return stores;
    }
    await stores.close();
    throw e;
  }
  return stores;
}
