// Dump and load of the Neo4j store for `npm run transfer`, with the same ids, timestamps, merge snapshots and
// audit chain. Loads run in slices of 5,000 rows per transaction so a large graph fits Neo4j's transaction
// memory; the Meta node (data version, counters) is written last, and the CLI verifies the copy.
import type { AuditEvent, IntelAssessment, SourceEvaluation } from '../../domain/model.ts';
import type { Row } from '../neo4j/executor.ts';
import type { Neo4jGraphStore } from '../neo4j/neo4j-store.ts';
import { dateMs, parseProps, searchText } from '../sqlite/rows.ts';
import type { Dump, DumpEntity, DumpLink, DumpSnapshot } from './dump.ts';
import { idNum } from './dump.ts';

const SLICE = 5_000;
const nullable = <T>(v: T | undefined): T | null => v ?? null;

function entityFrom(x: Row): DumpEntity {
  return {
    id: x.id as string,
    type: x.type as DumpEntity['type'],
    key: x.key as string,
    label: x.label as string,
    props: x.props as string,
    reviewDate: nullable(x.reviewDate as string | undefined),
    createdAt: x.createdAt as string,
    updatedAt: x.updatedAt as string,
    reports: (x.reports as string[] | undefined) ?? [],
    imports: (x.imports as string[] | undefined) ?? [],
  };
}

function linkFrom(x: Row): DumpLink {
  return {
    id: x.id as string,
    type: x.type as DumpLink['type'],
    from: x.from as string,
    to: x.to as string,
    directed: x.directed as boolean,
    weight: x.weight as number,
    firstSeen: nullable(x.firstSeen as string | undefined),
    lastSeen: nullable(x.lastSeen as string | undefined),
    props: x.props as string,
    reports: (x.reports as string[] | undefined) ?? [],
    imports: (x.imports as string[] | undefined) ?? [],
    createdAt: x.createdAt as string,
    updatedAt: x.updatedAt as string,
  };
}

export async function dumpNeo4j(store: Neo4jGraphStore): Promise<Dump> {
  await store.init();
  return store.exec.read(async (tx) => {
    const rows = async (name: string) => (await tx.run(name)).map((r) => r.x as Row);
    const meta = (await tx.one('dump-meta'))?.x as Row | undefined;
    return {
      dataVersion: (meta?.dataVersion as number | undefined) ?? 0,
      reports: (await rows('dump-reports')).map((x) => ({
        id: x.id as string,
        ref: x.ref as string,
        date: x.date as string,
        author: x.author as string,
        text: x.text as string,
        source: x.source as number,
        intel: x.intel as string,
        handling: x.handling as string,
        conditions: nullable(x.conditions as string | undefined),
        reviewDate: nullable(x.reviewDate as string | undefined),
        createdAt: x.createdAt as string,
      })),
      entities: (await rows('dump-entities')).map(entityFrom),
      aliases: (await rows('dump-aliases')).map((x) => ({
        type: x.type as string,
        key: x.key as string,
        entityId: x.entityId as string,
        mergeId: nullable(x.mergeId as string | undefined),
      })),
      links: (await rows('dump-links')).map(linkFrom),
      merges: (await rows('dump-merges')).map((x) => {
        const s = JSON.parse(x.snapshot as string) as {
          keep: Row;
          drop: Row & { aliases: { type: string; key: string }[] };
          links: Row[];
          annotations: string[];
        };
        const snapshot: DumpSnapshot = {
          keep: entityFrom(s.keep),
          drop: { ...entityFrom(s.drop), aliases: s.drop.aliases },
          links: s.links.map(linkFrom),
          annotations: s.annotations,
        };
        return {
          id: x.id as string,
          keptId: x.keptId as string,
          mergedId: x.mergedId as string,
          actor: x.actor as string,
          at: x.at as string,
          undone: x.undone as boolean,
          snapshot,
        };
      }),
      annotations: (await rows('dump-annotations')).map((x) => ({
        id: x.id as string,
        targetKind: x.targetKind as string,
        targetId: x.targetId as string,
        text: x.text as string,
        tags: x.tags as string,
        targetFlag: x.targetFlag as boolean,
        author: x.author as string,
        createdAt: x.createdAt as string,
        updatedAt: x.updatedAt as string,
      })),
      charts: (await rows('dump-charts')).map((x) => ({
        id: x.id as string,
        name: x.name as string,
        owner: x.owner as string,
        state: x.state as string,
        createdAt: x.createdAt as string,
        updatedAt: x.updatedAt as string,
      })),
      users: (await rows('dump-users')).map((x) => ({
        id: x.id as string,
        name: x.name as string,
        role: x.role as string,
        passwordHash: x.passwordHash as string,
        disabled: x.disabled as boolean,
        createdAt: x.createdAt as string,
      })),
      audit: (await rows('dump-audit')).map((x): AuditEvent => ({
        seq: x.seq as number,
        at: x.at as string,
        actor: x.actor as string,
        action: x.action as string,
        route: nullable(x.route as string | undefined),
        objectIds: (x.objectIds as string[] | undefined) ?? [],
        outcome: x.outcome as AuditEvent['outcome'],
        justification: nullable(x.justification as string | undefined),
        recipient: nullable(x.recipient as string | undefined),
        details: x.details ? (JSON.parse(x.details as string) as Record<string, unknown>) : null,
        prevHash: x.prevHash as string,
        hash: x.hash as string,
      })),
      importRuns: (await rows('dump-import-runs')).map((x) => ({
        seq: x.seq as number,
        importId: x.importId as string,
        at: x.at as string,
        actor: x.actor as string,
        report: JSON.parse(x.report as string) as Record<string, unknown>,
      })),
    };
  });
}

/** Writes a dump into an empty Neo4j store. */
export async function loadNeo4j(store: Neo4jGraphStore, d: Dump): Promise<void> {
  await store.init();
  const grade = new Map(
    d.reports.map((r) => [r.id, `${r.source as SourceEvaluation}${r.intel as IntelAssessment}`]),
  );
  const entityNode = (x: DumpEntity): Row => ({
    ...x,
    n: idNum(x.id),
    search: searchText(parseProps(x.props)),
  });
  const linkRel = (x: DumpLink): Row => {
    const { from: _f, to: _t, type: _ty, ...rest } = x;
    return {
      ...rest,
      n: idNum(x.id),
      firstMs: x.firstSeen ? dateMs(x.firstSeen) : null,
      lastMs: x.lastSeen ? dateMs(x.lastSeen, true) : null,
      grades: [...new Set(x.reports.map((r) => grade.get(r)).filter((g): g is string => g !== undefined))],
    };
  };
  const sliced = async (name: string, rows: Row[]) => {
    for (let i = 0; i < rows.length; i += SLICE) {
      const part = rows.slice(i, i + SLICE);
      await store.exec.write((tx) => tx.run(name, { rows: part }));
    }
  };
  await sliced(
    'reports-create',
    d.reports.map((r) => ({ ...r, n: idNum(r.id), grade: grade.get(r.id)! })),
  );
  await sliced('entities-create', d.entities.map(entityNode));
  await sliced(
    'links-create',
    d.links.map((x) => ({ from: x.from, to: x.to, type: x.type, props: linkRel(x) })),
  );
  await sliced('load-aliases', d.aliases as unknown as Row[]);
  await sliced(
    'load-merges',
    d.merges.map((m) => ({
      id: m.id,
      n: Number(m.id),
      keptId: m.keptId,
      mergedId: m.mergedId,
      actor: m.actor,
      at: m.at,
      undone: m.undone,
      snapshot: JSON.stringify({
        keep: entityNode(m.snapshot.keep),
        drop: { ...entityNode(m.snapshot.drop), aliases: m.snapshot.drop.aliases },
        links: m.snapshot.links.map((x) => ({ ...linkRel(x), from: x.from, to: x.to, type: x.type })),
        annotations: m.snapshot.annotations,
      }),
    })),
  );
  await sliced(
    'load-annotations',
    d.annotations.map((a) => ({ ...a, n: Number(a.id) })),
  );
  await sliced(
    'load-charts',
    d.charts.map((c) => ({ ...c, n: Number(c.id) })),
  );
  await sliced(
    'load-users',
    d.users.map((u) => ({ ...u, n: Number(u.id) })),
  );
  await sliced(
    'load-audits',
    d.audit.map((a) => ({ ...a, details: a.details ? JSON.stringify(a.details) : null })),
  );
  await sliced(
    'load-import-runs',
    d.importRuns.map((r) => ({ ...r, report: JSON.stringify(r.report) })),
  );
  const max = (ids: string[]) => ids.reduce((m, id) => Math.max(m, idNum(id)), 0);
  const last = d.audit[d.audit.length - 1];
  await store.exec.write(async (tx) => {
    await tx.run('meta-lock');
    await tx.run('meta-save', {
      m: {
        dataVersion: d.dataVersion,
        entity: max(d.entities.map((x) => x.id).concat(d.merges.map((m) => m.mergedId))),
        link: max(
          d.links.map((x) => x.id).concat(d.merges.flatMap((m) => m.snapshot.links.map((k) => k.id))),
        ),
        report: max(d.reports.map((x) => x.id)),
        merge: max(d.merges.map((x) => x.id)),
        annotation: max(d.annotations.map((x) => x.id)),
        chart: max(d.charts.map((x) => x.id)),
        user: max(d.users.map((x) => x.id)),
        audit: last?.seq ?? 0,
        auditHash: last?.hash ?? '0'.repeat(64),
      },
    });
  });
}

/** Deletes every node and relationship (the schema stays), in slices. */
export async function wipeNeo4j(store: Neo4jGraphStore): Promise<void> {
  await store.init();
  for (;;) {
    const r = await store.exec.write((tx) => tx.one('wipe-slice'));
    if (((r?.c as number | undefined) ?? 0) === 0) break;
  }
}
