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
import { StoreError, type ListOptions, type Page } from '../common.ts';
import { parsePlainId } from '../shared/ids.ts';
import { parseOr } from '../shared/validate.ts';
import { draftMoved } from '../shared/drafts.ts';
import type { WorkspaceStore } from '../workspace-store.ts';
import type { Neo4jContext } from './context.ts';
import type { Row } from './executor.ts';
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

export class Neo4jWorkspaceStore implements WorkspaceStore {
  constructor(private readonly c: Neo4jContext) {}

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    return this.c.write(async (tx, st) => {
      const now = new Date().toISOString();
      const n = st.next('annotation');
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
      const r = parsePlainId(id) === null ? undefined : await tx.one('annotation-by-id', { id });
      if (!r) throw new StoreError('not_found', `annotation ${JSON.stringify(id)} does not exist`, ['id']);
      const old = r.a as Row;
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
    return this.c.byPlainId('annotation-by-id', id, 'a', toAnnotation);
  }

  async deleteAnnotation(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteById('annotation', id);
  }

  async listAnnotations(
    target?: { kind: string; id: string },
    opts: ListOptions = {},
  ): Promise<Page<Annotation>> {
    const params = { kind: target?.kind ?? null, target: target?.id ?? null };
    return this.c.listPage('annotations', opts, params, 'a', toAnnotation);
  }

  async saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart> {
    const c = parseOr(chartInputSchema, input, []);
    return this.c.write(async (tx, st) => {
      const now = new Date().toISOString();
      let row: Row;
      if (id !== undefined) {
        const r = parsePlainId(id) === null ? undefined : await tx.one('chart-by-id', { id });
        if (!r) throw new StoreError('not_found', `chart ${JSON.stringify(id)} does not exist`, ['id']);
        row = { ...(r.c as Row), name: c.name, state: JSON.stringify(c.state), updatedAt: now };
      } else {
        const n = st.next('chart');
        const state = JSON.stringify(c.state);
        row = { id: String(n), n, name: c.name, owner: ctx.actor, state, createdAt: now, updatedAt: now };
      }
      await tx.run('chart-save', { row });
      st.bump();
      return toChart(row);
    });
  }

  async getChart(id: string): Promise<Chart | null> {
    return this.c.byPlainId('chart-by-id', id, 'c', toChart);
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    return this.c.listPage('charts', opts, {}, 'c', toChart);
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    await this.deleteById('chart', id);
  }

  /** Deletes an annotation or a chart by its plain id (`<kind>-delete` answers how many it removed). */
  private async deleteById(kind: 'annotation' | 'chart', id: string): Promise<void> {
    await this.c.write(async (tx, st) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one(`${kind}-delete`, { id });
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
      const r = await tx.one('draft-by-owner', { owner: ctx.actor });
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
      };
      await tx.run('draft-save', { row });
      return toDraft(row);
    });
  }

  async getDraft(id: string): Promise<Draft | null> {
    return this.c.read(async (tx) => {
      const r = await tx.one('draft-by-id', { id });
      return r ? toDraft(r.d as Row) : null;
    });
  }

  async draftOf(owner: string): Promise<Draft | null> {
    return this.c.read(async (tx) => {
      const r = await tx.one('draft-by-owner', { owner });
      return r ? toDraft(r.d as Row) : null;
    });
  }

  async deleteDraft(id: string, _ctx: WriteContext): Promise<void> {
    await this.c.write(async (tx) => {
      const r = await tx.one('draft-delete', { id });
      if (!r || Number(r.c) === 0)
        throw new StoreError('not_found', `draft ${JSON.stringify(id)} does not exist`, ['id']);
    });
  }
}
