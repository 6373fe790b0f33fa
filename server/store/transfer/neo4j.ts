// Dump and load of the Neo4j store for `npm run transfer`, with the same ids, timestamps, merge snapshots and
// audit chain. Loads run in slices of 5,000 rows per transaction so a large graph fits Neo4j's transaction
// memory; the Meta node (data version, counters) is written last, and the CLI verifies the copy. Neo4j keeps
// every field under its dump name; how each is read and written is in fields.ts.
import type { IntelAssessment, SourceEvaluation } from '../../domain/model.ts';
import type { Row } from '../neo4j/executor.ts';
import type { Neo4jStores } from '../neo4j/stores.ts';
import { eventKey } from '../neo4j/events.ts';
import { dateMs, parseProps, searchText } from '../shared/values.ts';
import type { Properties } from '../../domain/model.ts';
import type { Dump, DumpEntity, DumpLink, DumpSnapshot, Provenance } from './dump.ts';
import {
  ALIAS_FIELDS,
  ANNOTATION_FIELDS,
  AUDIT_FIELDS,
  CHART_FIELDS,
  DECISION_FIELDS,
  DRAFT_FIELDS,
  ENTITY_FIELDS,
  EVENT_FIELDS,
  fromNeo4j,
  IMPORT_RUN_FIELDS,
  idNum,
  LINK_FIELDS,
  MERGE_FIELDS,
  NOTICE_EVENT_FIELDS,
  NOTICE_FIELDS,
  OPERATION_FIELDS,
  OPERATION_MEMBER_FIELDS,
  PROPOSAL_FIELDS,
  REPORT_FIELDS,
  TARGET_ACTION_FIELDS,
  TARGET_FIELDS,
  toNeo4j,
  USER_FIELDS,
} from './fields.ts';

const SLICE = 5_000;

const provenance = (x: Row): Provenance => ({
  reports: (x.reports as string[] | undefined) ?? [],
  imports: (x.imports as string[] | undefined) ?? [],
});
/** What each operation wrote of an entity (`opProps`, JSON), less the empty copies (see Memberships). */
function opPropsFrom(text: unknown): Record<string, Properties> {
  const all = typeof text === 'string' && text ? (JSON.parse(text) as Record<string, Properties>) : {};
  return Object.fromEntries(Object.entries(all).filter(([, p]) => Object.keys(p).length > 0));
}
const opsFrom = (x: Row): string[] => (x.ops as string[] | undefined) ?? [];
const entityFrom = (x: Row): DumpEntity => ({
  ...fromNeo4j(ENTITY_FIELDS, x),
  ...provenance(x),
  ops: opsFrom(x),
  opProps: opPropsFrom(x.opProps),
});
const linkFrom = (x: Row): DumpLink => ({ ...fromNeo4j(LINK_FIELDS, x), ...provenance(x), ops: opsFrom(x) });

function snapshotFrom(text: string): DumpSnapshot {
  const s = JSON.parse(text) as {
    keep: Row;
    drop: Row & { aliases: { type: string; key: string }[] };
    links: Row[];
    annotations: string[];
  };
  return {
    keep: entityFrom(s.keep),
    drop: { ...entityFrom(s.drop), aliases: s.drop.aliases },
    links: s.links.map(linkFrom),
    annotations: s.annotations,
  };
}

export async function dumpNeo4j(stores: Neo4jStores): Promise<Dump> {
  await stores.init();
  return stores.exec.read(async (tx) => {
    const rows = async (name: string) => (await tx.run(name)).map((r) => r.x as Row);
    const meta = (await tx.one('dump-meta'))?.x as Row | undefined;
    return {
      dataVersion: (meta?.dataVersion as number | undefined) ?? 0,
      reports: (await rows('dump-reports')).map((x) => fromNeo4j(REPORT_FIELDS, x)),
      entities: (await rows('dump-entities')).map(entityFrom),
      aliases: (await rows('dump-aliases')).map((x) => fromNeo4j(ALIAS_FIELDS, x)),
      links: (await rows('dump-links')).map(linkFrom),
      merges: (await rows('dump-merges')).map((x) => ({
        ...fromNeo4j(MERGE_FIELDS, x),
        snapshot: snapshotFrom(x.snapshot as string),
      })),
      annotations: (await rows('dump-annotations')).map((x) => fromNeo4j(ANNOTATION_FIELDS, x)),
      charts: (await rows('dump-charts')).map((x) => fromNeo4j(CHART_FIELDS, x)),
      users: (await rows('dump-users')).map((x) => fromNeo4j(USER_FIELDS, x)),
      audit: (await rows('dump-audit')).map((x) => fromNeo4j(AUDIT_FIELDS, x)),
      importRuns: (await rows('dump-import-runs')).map((x) => fromNeo4j(IMPORT_RUN_FIELDS, x)),
      targets: (await rows('dump-targets')).map((x) => fromNeo4j(TARGET_FIELDS, x)),
      targetActions: (await rows('dump-target-actions')).map((x) => fromNeo4j(TARGET_ACTION_FIELDS, x)),
      drafts: (await rows('dump-drafts')).map((x) => fromNeo4j(DRAFT_FIELDS, x)),
      events: (await rows('dump-events')).map((x) => fromNeo4j(EVENT_FIELDS, x)),
      duplicateProposals: (await rows('dump-duplicate-proposals')).map((x) => fromNeo4j(PROPOSAL_FIELDS, x)),
      duplicateDecisions: (await rows('dump-duplicate-decisions')).map((x) => ({
        ...fromNeo4j(DECISION_FIELDS, x),
        step: x.seq as number,
      })),
      operations: (await rows('dump-operations')).map((x) => fromNeo4j(OPERATION_FIELDS, x)),
      operationMembers: (await rows('dump-operation-members')).map((x) =>
        fromNeo4j(OPERATION_MEMBER_FIELDS, x),
      ),
      deconflictionNotices: (await rows('dump-deconfliction-notices')).map((x) =>
        fromNeo4j(NOTICE_FIELDS, x),
      ),
      deconflictionEvents: (await rows('dump-deconfliction-events')).map((x) => ({
        ...fromNeo4j(NOTICE_EVENT_FIELDS, x),
        step: x.i as number,
      })),
    };
  });
}

/** Entity nodes and link relationships as a load writes them, with what the store derives (search text, grades). */
function nodeMakers(d: Dump) {
  const grade = new Map(
    d.reports.map((r) => [r.id, `${r.source as SourceEvaluation}${r.intel as IntelAssessment}`]),
  );
  // A merge snapshot from before operations keeps no memberships: the store's unmerge then leaves them be.
  const entityNode = (x: DumpEntity): Row => {
    const { ops, opProps, ...rest } = x;
    return {
      ...rest,
      ...(ops.length > 0 ? { ops, opProps: JSON.stringify(opProps) } : {}),
      n: idNum(x.id),
      search: searchText(parseProps(x.props), x.label),
    };
  };
  const linkRel = (x: DumpLink): Row => {
    const { from: _f, to: _t, type: _ty, ops, ...rest } = x;
    return {
      ...rest,
      ...(ops.length > 0 ? { ops } : {}),
      n: idNum(x.id),
      firstMs: x.firstSeen ? dateMs(x.firstSeen) : null,
      lastMs: x.lastSeen ? dateMs(x.lastSeen, true) : null,
      grades: [...new Set(x.reports.map((r) => grade.get(r)).filter((g): g is string => g !== undefined))],
    };
  };
  return { grade, entityNode, linkRel };
}

/** The highest number among ids such as 'e12' (0 for none): where a counter goes on after a load. */
const highestNum = (ids: string[]): number => ids.reduce((m, id) => Math.max(m, idNum(id)), 0);

/** The Meta node after a load: the data version, the id counters and the head of the audit chain. */
function metaAfter(d: Dump): Row {
  const last = d.audit[d.audit.length - 1];
  return {
    dataVersion: d.dataVersion,
    entity: highestNum(d.entities.map((x) => x.id).concat(d.merges.map((m) => m.mergedId))),
    link: highestNum(
      d.links.map((x) => x.id).concat(d.merges.flatMap((m) => m.snapshot.links.map((k) => k.id))),
    ),
    report: highestNum(d.reports.map((x) => x.id)),
    merge: highestNum(d.merges.map((x) => x.id)),
    annotation: highestNum(d.annotations.map((x) => x.id)),
    chart: highestNum(d.charts.map((x) => x.id)),
    user: highestNum(d.users.map((x) => x.id)),
    audit: last?.seq ?? 0,
    // The events' counter (neo4j/events.ts numbers new calls after it).
    event: d.events.reduce((m, e) => Math.max(m, e.n), 0),
    operation: highestNum(d.operations.map((x) => x.id)),
    auditHash: last?.hash ?? '0'.repeat(64),
  };
}

/** Writes a dump into an empty Neo4j store. */
export async function loadNeo4j(stores: Neo4jStores, d: Dump): Promise<void> {
  await stores.init();
  const { grade, entityNode, linkRel } = nodeMakers(d);
  const sliced = async (name: string, rows: Row[]) => {
    for (let i = 0; i < rows.length; i += SLICE) {
      const part = rows.slice(i, i + SLICE);
      await stores.exec.write((tx) => tx.run(name, { rows: part }));
    }
  };
  await sliced(
    'load-operations',
    d.operations.map((o) => ({ ...toNeo4j(OPERATION_FIELDS, o), n: idNum(o.id) })),
  );
  await sliced(
    'load-operation-members',
    d.operationMembers.map((m) => toNeo4j(OPERATION_MEMBER_FIELDS, m)),
  );
  await sliced(
    'reports-create',
    d.reports.map((r) => ({ ...toNeo4j(REPORT_FIELDS, r), n: idNum(r.id), grade: grade.get(r.id)! })),
  );
  await sliced('entities-create', d.entities.map(entityNode));
  await sliced(
    'links-create',
    d.links.map((x) => ({ from: x.from, to: x.to, type: x.type, props: linkRel(x) })),
  );
  await sliced(
    'load-aliases',
    d.aliases.map((a) => toNeo4j(ALIAS_FIELDS, a)),
  );
  await sliced(
    'load-merges',
    d.merges.map((m) => ({
      ...toNeo4j(MERGE_FIELDS, m),
      n: Number(m.id),
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
    d.annotations.map((a) => ({ ...toNeo4j(ANNOTATION_FIELDS, a), n: Number(a.id) })),
  );
  await sliced(
    'load-charts',
    d.charts.map((c) => ({ ...toNeo4j(CHART_FIELDS, c), n: Number(c.id) })),
  );
  await sliced(
    'load-users',
    d.users.map((u) => ({ ...toNeo4j(USER_FIELDS, u), n: Number(u.id) })),
  );
  await sliced(
    'load-audits',
    d.audit.map((a) => toNeo4j(AUDIT_FIELDS, { ...a, operations: a.operations })),
  );
  await sliced(
    'load-import-runs',
    d.importRuns.map((r) => toNeo4j(IMPORT_RUN_FIELDS, r)),
  );
  await sliced(
    'load-targets',
    d.targets.map((t) => ({ ...toNeo4j(TARGET_FIELDS, t), n: idNum(t.id) })),
  );
  await sliced(
    'load-target-actions',
    d.targetActions.map((a) => ({ ...toNeo4j(TARGET_ACTION_FIELDS, a), n: idNum(a.id) })),
  );
  await sliced(
    'load-drafts',
    d.drafts.map((x) => toNeo4j(DRAFT_FIELDS, x)),
  );
  await sliced(
    'load-events',
    d.events.map((e) => ({
      ...toNeo4j(EVENT_FIELDS, e),
      // The identity the store finds a call again by (neo4j/events.ts writeEvents).
      key: eventKey(e),
    })),
  );
  await sliced(
    'load-duplicate-proposals',
    d.duplicateProposals.map((p) => ({ ...toNeo4j(PROPOSAL_FIELDS, p), aId: `e${p.an}`, bId: `e${p.bn}` })),
  );
  await sliced(
    'load-duplicate-decisions',
    d.duplicateDecisions.map((x) => ({ ...toNeo4j(DECISION_FIELDS, x), seq: x.step })),
  );
  const steps = new Map<string, number>();
  for (const x of d.deconflictionEvents) steps.set(x.noticeId, (steps.get(x.noticeId) ?? 0) + 1);
  await sliced(
    'load-deconfliction-notices',
    d.deconflictionNotices.map((x) => ({
      ...toNeo4j(NOTICE_FIELDS, x),
      n: idNum(x.id),
      // How many steps its log holds: the next step is numbered after them (deconfliction-decide.cypher).
      steps: steps.get(x.id) ?? 0,
    })),
  );
  await sliced(
    'load-deconfliction-events',
    d.deconflictionEvents.map((x) => ({ ...toNeo4j(NOTICE_EVENT_FIELDS, x), i: x.step })),
  );
  await stores.exec.write(async (tx) => {
    await tx.run('seq-set', {
      name: 'deconfliction',
      v: highestNum(d.deconflictionNotices.map((x) => x.id)),
    });
    // The cycle store numbers targets and actions from these counters (cypher/queries/target-next-n.cypher).
    await tx.run('seq-set', { name: 'target', v: highestNum(d.targets.map((t) => t.id)) });
    await tx.run('seq-set', { name: 'target_action', v: highestNum(d.targetActions.map((a) => a.id)) });
  });
  await stores.exec.write(async (tx) => {
    await tx.run('meta-lock');
    await tx.run('meta-save', { m: metaAfter(d) });
  });
}

/** Deletes every node and relationship (the schema stays), in slices. */
export async function wipeNeo4j(stores: Neo4jStores): Promise<void> {
  await stores.init();
  for (;;) {
    const r = await stores.exec.write((tx) => tx.one('wipe-slice'));
    if (((r?.c as number | undefined) ?? 0) === 0) break;
  }
}
