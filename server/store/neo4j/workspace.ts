// WorkspaceStore on Neo4j: annotations, saved charts and drafts, as (:Annotation), (:Chart) and (:Draft) nodes
// apart from the graph. Annotation and chart writes move the data version, as the SQLite store's do, so views
// that show annotations refresh; draft writes do not (workspace-store.ts says why).
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
import { parsePlainId } from '../shared/ids.ts';
import { ANNOTATION_KEY, CHART_KEY } from '../shared/list-key.ts';
import { parseOr } from '../shared/validate.ts';
import { draftMoved } from '../shared/drafts.ts';
import { writeOperation, type WorkspaceStore } from '../workspace-store.ts';
import type { Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { toAnnotation, toChart } from './rows.ts';

function toDraft(r: Row): Draft {
  return {
    id: r.id as string,
    owner: r.owner as string,
    name: r.name as string,
    chartId: (r.chartId as string | null | undefined) ?? null,
    state: JSON.parse(r.state as string) as Record<string, unknown>,
    revision: Number(r.revision),
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
  };
}

const missing = (what: string, id: string) =>
  new StoreError('not_found', `${what} ${JSON.stringify(id)} does not exist`, ['id']);

export class Neo4jWorkspaceStore implements WorkspaceStore {
  /** The scope's operation ids; null: all (the store itself). */
  private readonly ops: string[] | null;

  constructor(
    private readonly c: Neo4jContext,
    scope: ReadScope = 'all',
  ) {
    this.ops = scope === 'all' ? null : [...scope.operations];
  }

  scoped(scope: ReadScope): WorkspaceStore {
    return scope === 'all' ? this : new Neo4jWorkspaceStore(this.c, scope);
  }

  /** A stored row of the scope (rows from before operations have no op: GENERAL's). */
  private visible(r: Row | undefined): r is Row {
    return !!r && (this.ops === null || this.ops.includes((r.op as string | undefined) ?? 'op1'));
  }

  /** A row by its plain id (`<kind>-by-id`), when it is in the scope. */
  private async byId(tx: Tx, kind: 'annotation' | 'chart', id: string): Promise<Row | undefined> {
    if (parsePlainId(id) === null) return undefined;
    const r = await tx.one(`${kind}-by-id`, { id });
    const row = r?.[kind === 'annotation' ? 'a' : 'c'] as Row | undefined;
    return this.visible(row) ? row : undefined;
  }

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    return this.c.write(async (tx, st) => {
      const now = new Date().toISOString();
      const n = await st.next('annotation');
      const row = {
        id: String(n),
        n,
        targetKind: a.target.kind,
        targetId: a.target.id,
        text: a.text,
        tags: JSON.stringify(a.tags),
        targetFlag: a.target_flag,
        author: ctx.actor,
        createdAt: now,
        updatedAt: now,
        op: writeOperation(ctx),
      };
      await tx.run('annotation-save', { row });
      st.bump();
      return toAnnotation(row);
    });
  }

  async updateAnnotation(
    id: string,
    input: Partial<AnnotationInput>,
    _ctx: WriteContext,
  ): Promise<Annotation> {
    const a = parseOr(annotationInputSchema.partial(), input, []);
    return this.c.write(async (tx, st) => {
      const old = await this.byId(tx, 'annotation', id);
      if (!old) throw missing('annotation', id);
      const row = {
        ...old,
        targetKind: a.target?.kind ?? old.targetKind,
        targetId: a.target?.id ?? old.targetId,
        // Only what the caller gave changes: the schema's defaults must not reset the rest.
        text: input.text !== undefined ? a.text : old.text,
        tags: input.tags !== undefined ? JSON.stringify(a.tags) : old.tags,
        targetFlag: input.target_flag !== undefined ? a.target_flag : old.targetFlag,
        updatedAt: new Date().toISOString(),
      };
      await tx.run('annotation-save', { row });
      st.bump();
      return toAnnotation(row);
    });
  }

  /** One annotation by id, or null (its author owns it: server/security/ownership.ts). */
  async getAnnotation(id: string): Promise<Annotation | null> {
    return this.c.read(async (tx) => {
      const r = await this.byId(tx, 'annotation', id);
      return r ? toAnnotation(r) : null;
    });
  }

  async deleteAnnotation(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteById('annotation', id);
  }

  async listAnnotations(
    target?: { kind: string; id: string },
    opts: ListOptions = {},
  ): Promise<Page<Annotation>> {
    const params = { kind: target?.kind ?? null, target: target?.id ?? null, ops: this.ops };
    return this.c.keyedPage('annotations', opts, ANNOTATION_KEY, params, 'a', toAnnotation);
  }

  async saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart> {
    const c = parseOr(chartInputSchema, input, []);
    return this.c.write(async (tx, st) => {
      const now = new Date().toISOString();
      let row: Row;
      if (id !== undefined) {
        const r = await this.byId(tx, 'chart', id);
        if (!r) throw missing('chart', id);
        row = { ...r, name: c.name, state: JSON.stringify(c.state), updatedAt: now };
      } else {
        const n = await st.next('chart');
        const state = JSON.stringify(c.state);
        row = {
          id: String(n),
          n,
          name: c.name,
          owner: ctx.actor,
          state,
          createdAt: now,
          updatedAt: now,
          op: writeOperation(ctx),
        };
      }
      await tx.run('chart-save', { row });
      st.bump();
      return toChart(row);
    });
  }

  async getChart(id: string): Promise<Chart | null> {
    return this.c.read(async (tx) => {
      const r = await this.byId(tx, 'chart', id);
      return r ? toChart(r) : null;
    });
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    return this.c.keyedPage('charts', opts, CHART_KEY, { ops: this.ops }, 'c', toChart);
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteById('chart', id);
  }

  /** Deletes an annotation or a chart by its plain id (`<kind>-delete` answers how many it removed). */
  private async deleteById(kind: 'annotation' | 'chart', id: string): Promise<void> {
    await this.c.write(async (tx, st) => {
      const r = (await this.byId(tx, kind, id)) ? await tx.one(`${kind}-delete`, { id }) : undefined;
      if (!r || (r.c as number) === 0)
        throw new StoreError('not_found', `${kind} ${JSON.stringify(id)} does not exist`, ['id']);
      st.bump();
    });
  }

  async saveDraft(input: DraftInput, ctx: WriteContext, baseRevision?: number): Promise<Draft> {
    const d = parseOr(draftInputSchema, input, []);
    // Under the Meta lock (write), so two windows saving at once queue rather than both reading one revision.
    return this.c.write(async (tx) => {
      const now = new Date().toISOString();
      const op = writeOperation(ctx);
      const r = await tx.one('draft-by-owner', { owner: ctx.actor, op });
      const old = r ? toDraft(r.d as Row) : null;
      if (baseRevision !== undefined && (old?.revision ?? 0) !== baseRevision)
        throw draftMoved(old ?? undefined, baseRevision);
      const row = {
        id: old?.id ?? randomUUID(),
        owner: ctx.actor,
        name: d.name,
        chartId: d.chartId,
        state: JSON.stringify(d.state),
        revision: (old?.revision ?? 0) + 1,
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
        op,
      };
      await tx.run('draft-save', { row });
      return toDraft(row);
    });
  }

  async getDraft(id: string): Promise<Draft | null> {
    return this.c.read(async (tx) => {
      const r = (await tx.one('draft-by-id', { id }))?.d as Row | undefined;
      return this.visible(r) ? toDraft(r) : null;
    });
  }

  async draftOf(owner: string, operationId = 'op1'): Promise<Draft | null> {
    return this.c.read(async (tx) => {
      const r = (await tx.one('draft-by-owner', { owner, op: operationId }))?.d as Row | undefined;
      return this.visible(r) ? toDraft(r) : null;
    });
  }

  async deleteDraft(id: string, _ctx: WriteContext): Promise<void> {
    await this.c.write(async (tx) => {
      const d = (await tx.one('draft-by-id', { id }))?.d as Row | undefined;
      const r = this.visible(d) ? await tx.one('draft-delete', { id }) : undefined;
      if (!r || Number(r.c) === 0)
        throw new StoreError('not_found', `draft ${JSON.stringify(id)} does not exist`, ['id']);
    });
  }
}
