// GraphStore.writeBatch on Neo4j: one transaction, as a pipeline of named steps, as on SQLite:
//   validate -> lookupReports -> resolveKeys -> lockExisting -> (reserve ids) -> upsertReports ->
//   writeEntities -> upsertLinks (each followed by recordProvenance) -> events -> bumpVersion -> import run.
// Each step has its file (graph-write-reports.ts, -entities.ts, -links.ts); what they share (the batch's state,
// resolving report refs, joining provenance) is in graph-write-batch.ts. Each step reads and writes its rows in
// one batched (UNWIND) query, never one query a row. A batch of new facts is three transactions (its id numbers,
// itself, the data version after it) and about eight statements; bench/suites/22-neo4j-write-path.ts counts
// them, times them, profiles them and sets the path beside a bare load of the same records (its floor). The
// two small ones stay managed transactions: as auto-commit queries they deadlocked past their retries when
// 200 audited writes came at once over two servers (test/neo4j/no-global-lock.test.ts).
import type { WriteContext } from '../../domain/model.ts';
import { entityInputSchema, linkInputSchema, reportInputSchema } from '../../domain/model.ts';
import type { WriteBatch, WriteResult } from '../graph-store.ts';
import { emptyWriteResult } from '../shared/values.ts';
import {
  invalid,
  parseOr,
  type EntityParsed,
  type LinkParsed,
  type ReportParsed,
} from '../shared/validate.ts';
import { readDataVersion, type Neo4jContext, type State } from './context.ts';
import type { ReportNode } from './rows.ts';
import { recordProvenance, type BatchRun } from './graph-write-batch.ts';
import { lockExisting, newKeys, resolveKeys, writeEntities } from './graph-write-entities.ts';
import { saveLinks, upsertLinks } from './graph-write-links.ts';
import {
  lookupReports,
  newReportCount,
  rememberReports,
  SeenReports,
  upsertReports,
} from './graph-write-reports.ts';
import { writeEvents } from './events.ts';
import { writeOperation } from './operations.ts';
import { recordSharedSubjects } from './deconfliction.ts';

interface ParsedBatch {
  reports: ReportParsed[];
  entities: EntityParsed[];
  links: LinkParsed[];
}

/** Every input checked against the domain schemas before the transaction starts. */
function validate(batch: WriteBatch): ParsedBatch {
  return {
    reports: (batch.reports ?? []).map((r, i) => parseOr(reportInputSchema, r, ['reports', i])),
    entities: (batch.entities ?? []).map((e, i) => parseOr(entityInputSchema, e, ['entities', i])),
    links: (batch.links ?? []).map((l, i) => parseOr(linkInputSchema, l, ['links', i])),
  };
}

/**
 * The data version rises once for a batch that changed anything, and not at all for one that did not; it
 * rises after the commit (Neo4jContext.write). Inside the transaction the result carries the version it
 * expects (the one now, plus one), which the import run's record keeps: exact unless another write commits
 * at the same moment. The caller gets the version the bump really gave. `now` is the version the batch's id
 * reservation read, if it made one (saving a statement); otherwise it is read here.
 */
async function bumpVersion(run: BatchRun, now: number | null): Promise<void> {
  const v = now ?? (await readDataVersion(run.tx));
  if (run.changed) run.st.bump();
  run.res.dataVersion = run.changed ? v + 1 : v;
}

/** Events the batch carries: numbers to reserve for them (those found stored already go back). */
function eventCount(batch: WriteBatch): number {
  let n = 0;
  for (const cols of batch.events ?? []) n += cols.count;
  return n;
}

/** A log of what was done, like the audit: it does not change the data version. Returns the record. */
async function recordImportRun(run: BatchRun, ctx: WriteContext): Promise<Record<string, unknown> | null> {
  if (!ctx.importRun) return null;
  if (run.importId === null) throw invalid(['importId'], 'an import run needs the import id');
  const record = ctx.importRun(run.res);
  await run.tx.run('import-run-create', {
    importId: run.importId,
    at: run.now,
    actor: ctx.actor,
    op: run.op,
    report: JSON.stringify(record),
  });
  return record;
}

/** Each server's reports seen stored (graph-write-reports.ts), by store. */
const seenReports = new WeakMap<Neo4jContext, SeenReports>();

export async function writeBatch(
  c: Neo4jContext,
  batch: WriteBatch,
  ctx: WriteContext,
): Promise<WriteResult> {
  const input = validate(batch);
  let done: State | null = null;
  let record: Record<string, unknown> | null = null;
  let seen = seenReports.get(c);
  if (!seen) {
    const made = new SeenReports();
    seenReports.set(c, (seen = made));
    c.onReplaced(() => made.clear());
  }
  let cited: Map<string, ReportNode> | null = null;
  // No named lock: the batch locks the entities it writes and the ends of its links (lockEntities), creates
  // entities and reports on their constraint-backed keys, and so runs beside other batches.
  const res = await c.write(
    async (tx, st) => {
      done = st;
      const run: BatchRun = {
        tx,
        st,
        now: new Date().toISOString(),
        importId: ctx.importId ?? null,
        op: await writeOperation(tx, ctx),
        res: emptyWriteResult(),
        changed: false,
      };
      // Reads and locks first, then one short transaction reserving every number the batch may use (the links'
      // and events' counts are bounds: the numbers not used go back to this server's pool for the next write).
      const known = await lookupReports(run, input, seen);
      const keys = await resolveKeys(tx, input.entities);
      await lockExisting(run, keys);
      const version = await st.reserveMany({
        report: newReportCount(input, known),
        entity: newKeys(keys).length,
        link: input.links.length,
        event: eventCount(batch),
      });
      const reports = await upsertReports(run, input, known);
      cited = reports;
      const entities = await writeEntities(run, keys, reports);
      // Links come after the entities are written: a key that only matches once normalised is looked up in the
      // database, and must find the batch's own entities there.
      const links = await upsertLinks(run, input.links, entities, reports);
      recordProvenance(run, 'links', links.mentions);
      await saveLinks(run, links);
      // Deconfliction: entities this operation now shares with another are noted in the same transaction.
      const joined = [...entities.joined, ...links.joinedEnds];
      if (joined.length) await recordSharedSubjects(tx, run.op, [...new Set(joined)], run.now, ctx.actor);
      const existed = new Set([...links.slots.values()].filter((s) => !s.isNew).map((s) => s.fact.id));
      await writeEvents(run, input.links, batch.events ?? [], reports, existed);
      await bumpVersion(run, version);
      record = await recordImportRun(run, ctx);
      return run.res;
    },
    { lock: null },
  );
  const st = done as State | null;
  if (cited) rememberReports(seen, input.reports, cited);
  if (st?.changed) {
    res.dataVersion = st.version;
    // The import's report, as its caller holds it, names the version the write really made.
    const r = record as Record<string, unknown> | null;
    if (r && typeof r.dataVersion === 'number') r.dataVersion = st.version;
  }
  return res;
}
