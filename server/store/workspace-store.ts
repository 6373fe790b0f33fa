// WorkspaceStore: what analysts make on top of the graph (annotations, saved charts and each user's draft).
// Writes to annotations and charts move the data version too: a chart or an annotation is part of what an
// export or a briefing states it was made from. A draft does not: it is saved every few seconds while the
// analyst works, no export names it, and moving the version would throw away every cached analysis.
// Contract: test/contract/workspace-contract.ts.
import type {
  Annotation,
  AnnotationInput,
  Chart,
  ChartInput,
  Draft,
  DraftInput,
  WriteContext,
} from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { ListOptions, Page } from './common.ts';

/** The operation a write lands in: the one it names, else GENERAL (op1, made by the first operations migration). */
export const writeOperation = (ctx: WriteContext): string => ctx.operationId ?? 'op1';

/**
 * Annotations, charts and drafts belong to the operation they were made in (ctx.operationId, else GENERAL).
 * A scoped store (scoped(scope)) reads, changes and deletes only those of the scope's operations; the others
 * are absent (null, not_found), as in GraphStore.scoped. The store itself reads all ('all', the system's).
 */
export interface WorkspaceStore {
  /** The same store reading only the operations of `scope`; scoped('all') is the store itself. */
  scoped(scope: ReadScope): WorkspaceStore;
  createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation>;
  getAnnotation(id: string): Promise<Annotation | null>;
  updateAnnotation(id: string, input: Partial<AnnotationInput>, ctx: WriteContext): Promise<Annotation>;
  deleteAnnotation(id: string, ctx: WriteContext): Promise<void>;
  listAnnotations(target?: { kind: string; id: string }, opts?: ListOptions): Promise<Page<Annotation>>;

  saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart>;
  getChart(id: string): Promise<Chart | null>;
  listCharts(opts?: ListOptions): Promise<Page<Chart>>;
  deleteChart(id: string, ctx: WriteContext): Promise<void>;

  /**
   * Keeps `ctx.actor`'s draft in the write's operation: creates it, or replaces the one they have there (one
   * draft per user and operation, whatever the browser: another browser or a reload finds the same work). With `baseRevision`, refuses
   * (conflict) when the stored draft has moved past it: another window saved since this one last did.
   */
  saveDraft(input: DraftInput, ctx: WriteContext, baseRevision?: number): Promise<Draft>;
  /** A draft by id, or null. Whose it is is the caller's check (drafts are their owner's alone). */
  getDraft(id: string): Promise<Draft | null>;
  /** The user's draft in `operationId` (absent: GENERAL), or null when they have none there. */
  draftOf(owner: string, operationId?: string): Promise<Draft | null>;
  /** not_found when there is no such draft. */
  deleteDraft(id: string, ctx: WriteContext): Promise<void>;
}
