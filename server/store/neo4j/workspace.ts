// WorkspaceStore on Neo4j: annotations and saved charts, as (:Annotation) and (:Chart) nodes apart from the
// graph. Their writes move the data version, as the SQLite store's do, so views that show annotations refresh.
import type { Annotation, AnnotationInput, Chart, ChartInput, WriteContext } from '../../domain/model.ts';
import { annotationInputSchema, chartInputSchema } from '../../domain/model.ts';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import { parsePlainId } from '../shared/ids.ts';
import { parseOr } from '../shared/validate.ts';
import type { WorkspaceStore } from '../workspace-store.ts';
import type { Neo4jContext } from './context.ts';
import type { Row } from './executor.ts';
import { toAnnotation, toChart } from './rows.ts';

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
}
