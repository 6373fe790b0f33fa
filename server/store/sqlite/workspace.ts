// WorkspaceStore on SQLite: annotations, saved charts and drafts, over the shared connection.
// Annotation and chart writes move the data version, as they always have here: the health route's cached
// counts (annotations, charts) are keyed on it. Draft writes do not (workspace-store.ts says why).
import { randomUUID } from 'node:crypto';
import type {
  Annotation,
  AnnotationInput,
  Chart,
  ChartInput,
  Draft,
  DraftInput,
  WriteContext,
} from '../../domain/model.ts';
import { annotationInputSchema, chartInputSchema, draftInputSchema } from '../../domain/model.ts';
import type { ReadScope } from '../../domain/operations.ts';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import { writeOperation, type WorkspaceStore } from '../workspace-store.ts';
import type { Param, SqliteConnection } from './connection.ts';
import { toAnnotation, toChart, type AnnotationRow, type ChartRow } from './rows.ts';
import { parsePlainId } from '../shared/ids.ts';
import { ANNOTATION_KEY, CHART_KEY } from '../shared/list-key.ts';
import { parseOr } from '../shared/validate.ts';
import { draftMoved } from '../shared/drafts.ts';

interface DraftRow {
  id: string;
  owner: string;
  name: string;
  chart_id: string | null;
  state: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

function toDraft(r: DraftRow): Draft {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    chartId: r.chart_id,
    state: JSON.parse(r.state) as Record<string, unknown>,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const notFound = (what: string, id: string): StoreError =>
  new StoreError('not_found', `${what} ${JSON.stringify(id)} does not exist`, ['id']);

/** An operation's row number from its id (op3); 0, which no operation has, for anything else. */
export function opRow(id: string): number {
  const m = /^op([1-9]\d{0,15})$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/**
 * The SQL condition (on column `col`) and its parameter that keep a row of the scope's operations: always
 * the same text, so statements stay cached. 'all' passes null, which the condition reads as "any".
 */
export function scopeCondition(scope: ReadScope, col = 'op_id'): { sql: string; param: Param } {
  return {
    sql: `(? IS NULL OR ${col} IN (SELECT value FROM json_each(?)))`,
    param: scope === 'all' ? null : JSON.stringify(scope.operations.map(opRow)),
  };
}

export class SqliteWorkspaceStore implements WorkspaceStore {
  private readonly inScope: string;
  private readonly scopeParams: Param[];

  constructor(
    private readonly c: SqliteConnection,
    private readonly scope: ReadScope = 'all',
  ) {
    const cond = scopeCondition(scope);
    this.inScope = cond.sql;
    this.scopeParams = [cond.param, cond.param];
  }

  scoped(scope: ReadScope): WorkspaceStore {
    return scope === 'all' ? this : new SqliteWorkspaceStore(this.c, scope);
  }

  private annotationRow(n: number): AnnotationRow | undefined {
    return this.c
      .st(`SELECT * FROM annotations WHERE id = ? AND ${this.inScope}`)
      .get(n, ...this.scopeParams) as AnnotationRow | undefined;
  }

  private chart(n: number): Chart | null {
    const r = this.c
      .st(`SELECT * FROM charts WHERE id = ? AND ${this.inScope}`)
      .get(n, ...this.scopeParams) as ChartRow | undefined;
    return r ? toChart(r) : null;
  }

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    const n = await this.c.writeTx(() => {
      const now = new Date().toISOString();
      const id = Number(
        this.c
          .st(
            `INSERT INTO annotations (target_kind, target_id, text, tags, target_flag, author, created_at, updated_at, op_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            a.target.kind,
            a.target.id,
            a.text,
            JSON.stringify(a.tags),
            a.target_flag ? 1 : 0,
            ctx.actor,
            now,
            now,
            opRow(writeOperation(ctx)),
          ).lastInsertRowid,
      );
      this.c.bump();
      return id;
    });
    return toAnnotation(this.c.st('SELECT * FROM annotations WHERE id = ?').get(n) as AnnotationRow);
  }

  async updateAnnotation(
    id: string,
    input: Partial<AnnotationInput>,
    _ctx: WriteContext,
  ): Promise<Annotation> {
    const parsed = parseOr(annotationInputSchema.partial(), input, []);
    // The schema's defaults would fill fields the caller left out; a patch keeps those as they are.
    const has = (k: keyof AnnotationInput) => input[k] !== undefined;
    const a = {
      target: has('target') ? parsed.target : undefined,
      text: has('text') ? parsed.text : undefined,
      tags: has('tags') ? parsed.tags : undefined,
      target_flag: has('target_flag') ? parsed.target_flag : undefined,
    };
    const n = parsePlainId(id);
    await this.c.writeTx(() => {
      const row = n === null ? undefined : this.annotationRow(n);
      if (!row) throw notFound('annotation', id);
      this.c
        .st(
          `UPDATE annotations SET target_kind = ?, target_id = ?, text = ?, tags = ?, target_flag = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(
          a.target?.kind ?? row.target_kind,
          a.target?.id ?? row.target_id,
          a.text ?? row.text,
          a.tags ? JSON.stringify(a.tags) : row.tags,
          a.target_flag === undefined ? row.target_flag : a.target_flag ? 1 : 0,
          new Date().toISOString(),
          n,
        );
      this.c.bump();
    });
    return toAnnotation(this.annotationRow(n!)!);
  }

  /** One annotation by id, or null (its author owns it: server/security/ownership.ts). */
  async getAnnotation(id: string): Promise<Annotation | null> {
    const n = parsePlainId(id);
    const row = n === null ? undefined : this.annotationRow(n);
    return row ? toAnnotation(row) : null;
  }

  async deleteAnnotation(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteRow('annotations', 'annotation', id);
  }

  async listAnnotations(
    target?: { kind: string; id: string },
    opts: ListOptions = {},
  ): Promise<Page<Annotation>> {
    return this.c.keyedPageOf(
      opts,
      ANNOTATION_KEY,
      {
        cols: '*',
        from: 'annotations',
        where: target ? `target_kind = ? AND target_id = ? AND ${this.inScope}` : this.inScope,
        params: target ? [target.kind, target.id, ...this.scopeParams] : this.scopeParams,
        keyCol: 'id',
      },
      toAnnotation,
    );
  }

  async saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart> {
    const c = parseOr(chartInputSchema, input, []);
    const n = await this.c.writeTx(() => {
      const now = new Date().toISOString();
      let n: number;
      if (id !== undefined) {
        const k = parsePlainId(id);
        if (
          k === null ||
          this.c
            .st(`UPDATE charts SET name = ?, state = ?, updated_at = ? WHERE id = ? AND ${this.inScope}`)
            .run(c.name, JSON.stringify(c.state), now, k, ...this.scopeParams).changes === 0
        )
          throw notFound('chart', id);
        n = k;
      } else {
        n = Number(
          this.c
            .st(
              'INSERT INTO charts (name, owner, state, created_at, updated_at, op_id) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(c.name, ctx.actor, JSON.stringify(c.state), now, now, opRow(writeOperation(ctx)))
            .lastInsertRowid,
        );
      }
      this.c.bump();
      return n;
    });
    return toChart(this.c.st('SELECT * FROM charts WHERE id = ?').get(n) as ChartRow);
  }

  async getChart(id: string): Promise<Chart | null> {
    const n = parsePlainId(id);
    return n === null ? null : this.chart(n);
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    return this.c.keyedPageOf(
      opts,
      CHART_KEY,
      { cols: '*', from: 'charts', where: this.inScope, params: this.scopeParams, keyCol: 'id' },
      toChart,
    );
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteRow('charts', 'chart', id);
  }

  /** Deletes a row by its plain id, moving the data version; not_found when there is none. */
  private async deleteRow(table: 'annotations' | 'charts', what: string, id: string): Promise<void> {
    const n = parsePlainId(id);
    await this.c.writeTx(() => {
      if (
        n === null ||
        this.c.st(`DELETE FROM ${table} WHERE id = ? AND ${this.inScope}`).run(n, ...this.scopeParams)
          .changes === 0
      )
        throw notFound(what, id);
      this.c.bump();
    });
  }

  async saveDraft(input: DraftInput, ctx: WriteContext, baseRevision?: number): Promise<Draft> {
    const d = parseOr(draftInputSchema, input, []);
    const owner = ctx.actor;
    const op = opRow(writeOperation(ctx));
    return this.c.writeTx(() => {
      const now = new Date().toISOString();
      const old = this.c.st('SELECT * FROM drafts WHERE owner = ? AND op_id = ?').get(owner, op) as
        DraftRow | undefined;
      if (baseRevision !== undefined && (old?.revision ?? 0) !== baseRevision)
        throw draftMoved(old && { revision: old.revision, updatedAt: old.updated_at }, baseRevision);
      const state = JSON.stringify(d.state);
      if (old) {
        this.c
          .st(
            'UPDATE drafts SET name = ?, chart_id = ?, state = ?, revision = ?, updated_at = ? WHERE id = ?',
          )
          .run(d.name, d.chartId, state, old.revision + 1, now, old.id);
        return toDraft({
          ...old,
          name: d.name,
          chart_id: d.chartId,
          state,
          revision: old.revision + 1,
          updated_at: now,
        });
      }
      const row: DraftRow = {
        id: randomUUID(),
        owner,
        name: d.name,
        chart_id: d.chartId,
        state,
        revision: 1,
        created_at: now,
        updated_at: now,
      };
      this.c
        .st(
          `INSERT INTO drafts (id, owner, op_id, name, chart_id, state, revision, created_at, updated_at)
           VALUES (@id, @owner, @op_id, @name, @chart_id, @state, @revision, @created_at, @updated_at)`,
        )
        .run({ ...row, op_id: op });
      return toDraft(row);
    });
  }

  async getDraft(id: string): Promise<Draft | null> {
    const r = this.c
      .st(`SELECT * FROM drafts WHERE id = ? AND ${this.inScope}`)
      .get(id, ...this.scopeParams) as DraftRow | undefined;
    return r ? toDraft(r) : null;
  }

  async draftOf(owner: string, operationId = 'op1'): Promise<Draft | null> {
    const r = this.c
      .st(`SELECT * FROM drafts WHERE owner = ? AND op_id = ? AND ${this.inScope}`)
      .get(owner, opRow(operationId), ...this.scopeParams) as DraftRow | undefined;
    return r ? toDraft(r) : null;
  }

  async deleteDraft(id: string, _ctx: WriteContext): Promise<void> {
    await this.c.writeTx(() => {
      if (
        this.c.st(`DELETE FROM drafts WHERE id = ? AND ${this.inScope}`).run(id, ...this.scopeParams)
          .changes === 0
      )
        throw notFound('draft', id);
    });
  }
}
