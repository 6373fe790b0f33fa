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
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { WorkspaceStore } from '../workspace-store.ts';
import type { SqliteConnection } from './connection.ts';
import { toAnnotation, toChart, type AnnotationRow, type ChartRow } from './rows.ts';
import { parsePlainId } from '../shared/ids.ts';
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

export class SqliteWorkspaceStore implements WorkspaceStore {
  constructor(private readonly c: SqliteConnection) {}

  private annotationRow(n: number): AnnotationRow | undefined {
    return this.c.st('SELECT * FROM annotations WHERE id = ?').get(n) as AnnotationRow | undefined;
  }

  private chart(n: number): Chart | null {
    const r = this.c.st('SELECT * FROM charts WHERE id = ?').get(n) as ChartRow | undefined;
    return r ? toChart(r) : null;
  }

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    const n = await this.c.writeTx(() => {
      const now = new Date().toISOString();
      const id = Number(
        this.c
          .st(
            `INSERT INTO annotations (target_kind, target_id, text, tags, target_flag, author, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
          ).lastInsertRowid,
      );
      this.c.bump();
      return id;
    });
    return toAnnotation(this.annotationRow(n)!);
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
    return this.c.pageOf(
      this.c.page(opts),
      {
        cols: '*',
        from: 'annotations',
        where: target ? 'target_kind = ? AND target_id = ?' : '1',
        params: target ? [target.kind, target.id] : [],
        order: 'id',
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
            .st('UPDATE charts SET name = ?, state = ?, updated_at = ? WHERE id = ?')
            .run(c.name, JSON.stringify(c.state), now, k).changes === 0
        )
          throw notFound('chart', id);
        n = k;
      } else {
        n = Number(
          this.c
            .st('INSERT INTO charts (name, owner, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
            .run(c.name, ctx.actor, JSON.stringify(c.state), now, now).lastInsertRowid,
        );
      }
      this.c.bump();
      return n;
    });
    return this.chart(n)!;
  }

  async getChart(id: string): Promise<Chart | null> {
    const n = parsePlainId(id);
    return n === null ? null : this.chart(n);
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    return this.c.pageOf(this.c.page(opts), { cols: '*', from: 'charts', order: 'id' }, toChart);
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteRow('charts', 'chart', id);
  }

  /** Deletes a row by its plain id, moving the data version; not_found when there is none. */
  private async deleteRow(table: 'annotations' | 'charts', what: string, id: string): Promise<void> {
    const n = parsePlainId(id);
    await this.c.writeTx(() => {
      if (n === null || this.c.st(`DELETE FROM ${table} WHERE id = ?`).run(n).changes === 0)
        throw notFound(what, id);
      this.c.bump();
    });
  }

  async saveDraft(input: DraftInput, ctx: WriteContext, baseRevision?: number): Promise<Draft> {
    const d = parseOr(draftInputSchema, input, []);
    const owner = ctx.actor;
    return this.c.writeTx(() => {
      const now = new Date().toISOString();
      const old = this.c.st('SELECT * FROM drafts WHERE owner = ?').get(owner) as DraftRow | undefined;
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
          `INSERT INTO drafts (id, owner, name, chart_id, state, revision, created_at, updated_at)
           VALUES (@id, @owner, @name, @chart_id, @state, @revision, @created_at, @updated_at)`,
        )
        .run(row);
      return toDraft(row);
    });
  }

  async getDraft(id: string): Promise<Draft | null> {
    const r = this.c.st('SELECT * FROM drafts WHERE id = ?').get(id) as DraftRow | undefined;
    return r ? toDraft(r) : null;
  }

  async draftOf(owner: string): Promise<Draft | null> {
    const r = this.c.st('SELECT * FROM drafts WHERE owner = ?').get(owner) as DraftRow | undefined;
    return r ? toDraft(r) : null;
  }

  async deleteDraft(id: string, _ctx: WriteContext): Promise<void> {
    await this.c.writeTx(() => {
      if (this.c.st('DELETE FROM drafts WHERE id = ?').run(id).changes === 0) throw notFound('draft', id);
    });
  }
}
