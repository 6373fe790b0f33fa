// An analysis view streamed from Neo4j: the links subgraph() reads (graph-walk.ts), in the same order and
// under the same need-to-know filter, but a page at a time straight into a ViewBuilder instead of becoming
// Link and Entity objects, so a 1M-node / 5M-link view is never held as objects (bench/suites/34-view-million.ts
// --neo4j). Each link type is read in pages by a seek on its index on l.n (cypher/queries/view-links-page.cypher)
// and the types' pages are merged in id order; entities follow in number order, as subgraph() lists them. The
// view is the same as buildView(subgraph(...)) by construction (test/neo4j/view-stream.test.ts checks it).
import type { EntityType, Grading, IntelAssessment, LinkType, SourceEvaluation } from '../../domain/model.ts';
import { LINK_TYPES } from '../../domain/model.ts';
import { bestGrading } from '../../domain/grading.ts';
import { ViewBuilder } from '../../analysis/view-builder.ts';
import type { ParsedViewOptions, View } from '../../analysis/view-options.ts';
import { aggregateEvents, eventWindowMs, isoSecond } from '../shared/events.ts';
import { linkId } from '../shared/ids.ts';
import { checkFilter, filtersLinks } from '../shared/view-filter.ts';
import { readDataVersion } from './context.ts';
import { distinctEvents } from './events.ts';
import type { Row, Tx } from './executor.ts';
import { narrowScope, opsParam, type Scope } from './op-membership.ts';
import { filterParams } from './query-params.ts';
import type { LinkRel } from './rows.ts';
import { scopedLinks } from './scope-facts.ts';

/** Rows a page holds: the memory bound of the read, per link type. */
export const VIEW_PAGE_ROWS = 20_000;

export interface StreamViewOptions {
  /** Most links the view may hold; past it nothing is built (null is returned). */
  limit?: number;
  /** Just these entities and the links between them (a chart's view). */
  only?: readonly string[] | null;
  /** The view's arrays on SharedArrayBuffer (for other threads). */
  shared?: boolean;
  /** Rows a page holds (tests use small pages to cross page ends). */
  pageRows?: number;
}

function gradingOf(codes: readonly string[] | null | undefined): Grading | null {
  let best: Grading | null = null;
  for (const c of codes ?? [])
    best = bestGrading(best, { source: Number(c[0]) as SourceEvaluation, intel: c[1] as IntelAssessment });
  return best;
}

/** One link type's pages, read on demand: the head row, and the next page once this one is used up. */
class TypeCursor {
  private rows: Row[] = [];
  private at = 0;
  private after = 0;
  private more = true;

  constructor(
    private readonly tx: Tx,
    readonly type: LinkType,
    private readonly params: Row,
    private readonly batch: number,
  ) {}

  /** The next row in id order, or null when the type has no more. */
  async head(): Promise<Row | null> {
    if (this.at < this.rows.length) return this.rows[this.at];
    if (!this.more) return null;
    this.rows = await this.tx.runForType('view-links-page', this.type, {
      ...this.params,
      after: this.after,
      batch: this.batch,
    });
    this.at = 0;
    this.more = this.rows.length === this.batch;
    if (this.rows.length === 0) return null;
    this.after = this.rows[this.rows.length - 1].n as number;
    return this.rows[0];
  }

  advance(): void {
    this.at++;
  }
}

/**
 * The view of `options` read in transaction `tx` (a read transaction: the store's, or a worker's own), or
 * null when the filter passes more than `limit` links (nothing is built then).
 */
export async function streamView(
  tx: Tx,
  options: ParsedViewOptions,
  opts: StreamViewOptions = {},
  scopeIn: Scope = null,
): Promise<View | null> {
  const filter = checkFilter(options.filter);
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  const batch = opts.pageRows ?? VIEW_PAGE_ROWS;
  const scope = narrowScope(scopeIn, filter.operations);
  const ops = opsParam(scope);
  const types = filter.entityTypes ?? null;
  const windowed = Boolean(filter.from || filter.to);
  const dataVersion = await readDataVersion(tx);
  const b = new ViewBuilder({ ...options, filter }, { only: opts.only ?? null });
  const params = { ...filterParams(filter), ops, types };

  // The link types' pages merged in id order (a k-way merge over at most a dozen heads).
  const linkTypes = LINK_TYPES.filter((t) => !filter.linkTypes || filter.linkTypes.includes(t));
  const cursors = linkTypes.map((t) => new TypeCursor(tx, t, params, batch));
  const heads = await Promise.all(cursors.map((c) => c.head()));
  // Links shared with an operation outside the scope (few): fixed after the read, as scopedLinks reads them.
  const partial: { at: number; rel: LinkRel }[] = [];
  // Calls and sightings whose counts in the window replace their own: link number, builder index.
  const counted: number[] = [];
  const countedAt: number[] = [];
  let read = 0;
  for (;;) {
    let k = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (k < 0 || (h.n as number) < (heads[k]!.n as number))) k = i;
    }
    if (k < 0) break;
    const r = heads[k]!;
    if (read++ >= limit) return null;
    const type = cursors[k].type;
    const at = b.addLink(
      r.a as number,
      r.b as number,
      type,
      r.directed === true,
      r.weight as number,
      (r.firstSeen as string | null) ?? null,
      (r.lastSeen as string | null) ?? null,
      gradingOf(r.grades as string[] | null),
    );
    if (at >= 0 && r.partial) partial.push({ at, rel: r.partial as LinkRel });
    if (at >= 0 && windowed && (type === 'CALLED' || type === 'SIGHTED_AT')) {
      counted.push(r.n as number);
      countedAt.push(at);
    }
    cursors[k].advance();
    heads[k] = await cursors[k].head();
  }

  if (partial.length) {
    const seen = await scopedLinks(
      tx,
      partial.map((p) => p.rel),
      scope,
    );
    seen.forEach((l, i) => {
      b.setCounts(partial[i].at, l.weight, l.firstSeen, l.lastSeen);
      b.setGrading(partial[i].at, l.grading);
    });
  }
  if (counted.length) {
    // As countInWindow (events.ts): in-scope calls or reads inside the window, a bounded batch at a time.
    const w = eventWindowMs(filter);
    for (let i = 0; i < counted.length; i += batch) {
      const ids = counted.slice(i, i + batch).map(linkId);
      const agg = aggregateEvents(await distinctEvents(tx, ids, w.fromMs, w.toMs, scope));
      for (let j = 0; j < ids.length; j++) {
        const a = agg.get(ids[j]);
        if (a) b.setCounts(countedAt[i + j], a.n, isoSecond(a.first), isoSecond(a.last));
      }
    }
  }

  // Without link filters every entity of the allowed types is in the view; otherwise only the ends of the
  // links read, fetched by number a batch at a time.
  const addRows = (rows: Row[]) => {
    for (const e of rows) b.addEntity(e.n as number, e.id as string, e.type as EntityType, e.label as string);
  };
  if (!filtersLinks(filter)) {
    for (let after = 0; ;) {
      const rows = await tx.run('view-entities-page', { after, batch, types, ops });
      addRows(rows);
      if (rows.length < batch) break;
      after = rows[rows.length - 1].n as number;
    }
  } else {
    const ends = (b.linkEnds() as number[]).sort((x, y) => x - y);
    for (let i = 0; i < ends.length; i += batch)
      addRows(await tx.run('view-entities-by-n', { ns: ends.slice(i, i + batch), types, ops }));
  }
  return b.finish(dataVersion, opts.shared ?? false);
}
