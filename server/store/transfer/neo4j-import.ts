// placeholder
import type { AuditKey } from '../../security/audit-chain.ts';
import type { Neo4jStores } from '../neo4j/stores.ts';
import type { DumpPart } from './parts.ts';
import type { StreamOptions } from './pipeline.ts';
import type { DumpReader } from './stream.ts';

export function localNeo4jHome(): string | null {
  return process.env.LINKCHART_NEO4J_HOME || null;
}

export async function importNeo4j(
  _r: DumpReader,
  _s: Neo4jStores,
  _o: StreamOptions & { key: AuditKey | null; home: string; log: (s: string) => void },
): Promise<{ digest: string; counts: Record<DumpPart, number> }> {
  throw new Error('not yet');
}
