// WorkspaceStore: what analysts make on top of the graph (annotations and saved charts). Writes here move the
// data version too: a chart or an annotation is part of what an export or a briefing states it was made from.
// Contract: test/contract/workspace-contract.ts.
import type { Annotation, AnnotationInput, Chart, ChartInput, WriteContext } from '../domain/model.ts';
import type { ListOptions, Page } from './common.ts';

export interface WorkspaceStore {
  createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation>;
  getAnnotation(id: string): Promise<Annotation | null>;
  updateAnnotation(id: string, input: Partial<AnnotationInput>, ctx: WriteContext): Promise<Annotation>;
  deleteAnnotation(id: string, ctx: WriteContext): Promise<void>;
  listAnnotations(target?: { kind: string; id: string }, opts?: ListOptions): Promise<Page<Annotation>>;

  saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart>;
  getChart(id: string): Promise<Chart | null>;
  listCharts(opts?: ListOptions): Promise<Page<Chart>>;
  deleteChart(id: string, ctx: WriteContext): Promise<void>;
}
