// The Neo4j backend as one Stores: every aggregate over one driver and executor (context.ts), opened once.
import type { EntityType, LinkType } from '../../domain/model.ts';
import { LINK_TYPES } from '../../domain/model.ts';
import type { StoreCounts } from '../common.ts';
import type { Stores } from '../stores.ts';
import { checkAuditTrail, type AuditTrailOptions } from '../../security/audit-key.ts';
import { Neo4jContext, type Neo4jStoreOptions } from './context.ts';
import { Neo4jCycleStore } from './cycle.ts';
import { Neo4jDeconflictionStore } from './deconfliction.ts';
import { Neo4jDuplicateStore } from './duplicates.ts';
import type { Neo4jExecutor } from './executor.ts';
import { Neo4jGraphStore } from './graph-store.ts';
import { Neo4jImportLog } from './import-log.ts';
import { Neo4jOperationStore } from './operations.ts';
import { Neo4jSecurityStore } from './security.ts';
import { Neo4jJobStore } from './jobs.ts';
import { Neo4jSessionStore } from './sessions.ts';
import { ensureTierSchema } from './tier-schema.ts';
import { Neo4jWorkspaceStore } from './workspace.ts';
import type { ReadAfterSigner } from '../read-after.ts';

export type { Neo4jStoreOptions } from './context.ts';

/** The connection, and how the audit is keyed (server/security/audit-key.ts). */
export type Neo4jStoresOptions = Neo4jStoreOptions & AuditTrailOptions;

export class Neo4jStores implements Stores {
  readonly kind = 'neo4j' as const;
  /** The driver and executor every aggregate shares (transfer and GDS run their own queries on it). */
  readonly exec: Neo4jExecutor;
  readonly graph: Neo4jGraphStore;
  readonly workspace: Neo4jWorkspaceStore;
  readonly security: Neo4jSecurityStore;
  readonly cycle: Neo4jCycleStore;
  readonly duplicates: Neo4jDuplicateStore;
  readonly imports: Neo4jImportLog;
  readonly operations: Neo4jOperationStore;
  readonly deconfliction: Neo4jDeconflictionStore;
  readonly sessions: Neo4jSessionStore;
  readonly jobs: Neo4jJobStore;
  private readonly c: Neo4jContext;
  /** Bookmarks signed under the audit key, which every server of the tier holds (README: more than one machine). */
  readonly readAfter: ReadAfterSigner | undefined;

  constructor(readonly opts: Neo4jStoresOptions) {
    const key = opts.auditKey;
    this.readAfter = key ? { mac: (data) => key.mac(`linkchart bookmark ${data}`) } : undefined;
    this.c = new Neo4jContext(opts);
    this.exec = this.c.exec;
    this.graph = new Neo4jGraphStore(this.c);
    this.workspace = new Neo4jWorkspaceStore(this.c);
    this.security = new Neo4jSecurityStore(this.c, opts.auditKey ?? null);
    this.cycle = new Neo4jCycleStore(this.c);
    this.duplicates = new Neo4jDuplicateStore(this.c);
    this.imports = new Neo4jImportLog(this.c);
    this.operations = new Neo4jOperationStore(this.c);
    this.deconfliction = new Neo4jDeconflictionStore(this.c);
    this.sessions = new Neo4jSessionStore(this.c);
    this.jobs = new Neo4jJobStore(this.c);
  }

  /**
   * Applies the schema (the graph's, then the targets'). Idempotent; retried after a failure. With an audit
   * key, checks the trail's last record against it or seals a trail written before keying
   * (server/security/audit-key.ts checkAuditTrail). Neo4j has no triggers: its audit is append-only by the
   * queries alone (no query in cypher/ updates or deletes an Audit node) and by the keyed chain.
   */
  async init(): Promise<void> {
    await this.cycle.ensureReady();
    await this.duplicates.ensureReady();
    await ensureTierSchema(this.c);
    if (this.opts.auditKey) await checkAuditTrail(this.security, this.opts);
  }

  async close(): Promise<void> {
    await this.c.close();
  }

  onReplaced(fn: () => void): void {
    this.c.onReplaced(fn);
  }

  async counts(): Promise<StoreCounts> {
    return this.c.read(async (tx) => {
      const entitiesByType: StoreCounts['entitiesByType'] = {};
      for (const r of await tx.run('count-entities-by-type'))
        entitiesByType[r.t as EntityType] = r.c as number;
      const linksByType: StoreCounts['linksByType'] = {};
      for (const r of await tx.run('count-links-by-type', { types: [...LINK_TYPES] }))
        if ((r.c as number) > 0) linksByType[r.t as LinkType] = r.c as number;
      const o = (await tx.one('count-others'))!;
      return {
        entities: Object.values(entitiesByType).reduce((a, b) => a + b, 0),
        links: Object.values(linksByType).reduce((a, b) => a + b, 0),
        reports: o.reports as number,
        annotations: o.annotations as number,
        charts: o.charts as number,
        audit: o.audit as number,
        entitiesByType,
        linksByType,
      };
    });
  }
}

/** Opens the Neo4j stores and applies the schema; closes the driver again if that fails. */
export async function openNeo4jStores(opts: Neo4jStoresOptions): Promise<Neo4jStores> {
  const stores = new Neo4jStores(opts);
  try {
    await stores.init();
  } catch (e) {
    await stores.close();
    throw e;
  }
  return stores;
}
