// GraphStore.writeBatch on SQLite: one transaction, as a pipeline of named steps:
//   validate -> upsert reports -> upsert entities -> upsert links -> events -> shared subjects -> version ->
//   import run record. Every fact written or touched joins the write's operation (ctx.operationId, else GENERAL).
// Each step has its file (graph-write-reports.ts, -entities.ts, -links.ts); what they share (the batch's
// state, resolving report refs, joining provenance) is in graph-write-batch.ts. It is the import's hot path
// (1M rows at 100k rows a second, bench/suites/10-store-sqlite.ts and 41-import): statements are prepared
// once per batch, rows are checked by hand before zod (validate.ts), and nothing is allocated per row that
// need not be.
import type { WriteContext } from '../../domain/model.ts';
import { entityInputSchema, linkInputSchema, reportInputSchema } from '../../domain/model.ts';
import type { WriteBatch, WriteResult } from '../graph-store.ts';
import type { SqliteConnection } from './connection.ts';
import { startBatch, type Batch } from './graph-write-batch.ts';
import { upsertEntities } from './graph-write-entities.ts';
import { upsertLinks } from './graph-write-links.ts';
import { upsertReports } from './graph-write-reports.ts';
import { writeEvents } from './events.ts';
import { recordSharedSubjects } from './deconfliction.ts';
import { writeOperation } from './operations.ts';
import { fastEntity, fastLink, invalid, parseOr } from '../shared/validate.ts';

export function writeBatch(c: SqliteConnection, batch: WriteBatch, ctx: WriteContext): WriteResult {
  const { reports, entities, links } = validateBatch(batch);
  // Every reference a batch writes (entity ends, report refs) is resolved and checked by this code before
  // it is written, and a batch deletes nothing, so SQLite's own foreign-key checks (five look-ups a link)
  // are switched off for its transaction. The pragma cannot change inside a transaction, hence out here.
  c.db.pragma('foreign_keys = OFF');
  try {
    return c.tx(() => {
      const b = startBatch(c, ctx.importId ?? null, writeOperation(c, ctx));
      upsertReports(b, reports);
      upsertEntities(b, entities);
      const linkFloor = c.st('SELECT ifnull(max(id), 0) FROM links').pluck().get() as number;
      upsertLinks(b, links, linkFloor);
      writeEvents(b, links, batch.events ?? [], linkFloor);
      // DECONFLICTION HOOK: every entity membership of the batch is written; entities that were there
      // before and joined this operation may be held by another one (server/store/sqlite/deconfliction.ts).
      if (b.joined.length) recordSharedSubjects(c.db, b.op, b.joined, b.now, ctx.actor);
      b.res.dataVersion = b.changed ? c.bump() : c.version();
      recordImportRun(b, ctx);
      return b.res;
    });
  } finally {
    c.db.pragma('foreign_keys = ON');
  }
}

/** Every row of the batch, parsed; the first bad one is refused with its place in the batch. */
function validateBatch(batch: WriteBatch) {
  return {
    reports: (batch.reports ?? []).map((r, i) => parseOr(reportInputSchema, r, ['reports', i])),
    entities: (batch.entities ?? []).map(
      (e, i) => fastEntity(e) ?? parseOr(entityInputSchema, e, ['entities', i]),
    ),
    links: (batch.links ?? []).map((l, i) => fastLink(l) ?? parseOr(linkInputSchema, l, ['links', i])),
  };
}

/** The record of how the data came in, written in its transaction. Like the audit, it is no graph fact. */
function recordImportRun(b: Batch, ctx: WriteContext): void {
  if (!ctx.importRun) return;
  if (b.importId === null) throw invalid(['importId'], 'an import run needs the import id');
  b.c
    .st('INSERT INTO import_runs (import_id, at, actor, op_id, report) VALUES (?, ?, ?, ?, ?)')
    .run(b.importId, b.now, ctx.actor, b.op, JSON.stringify(ctx.importRun(b.res)));
}
