// The saved-chart format: what the store keeps as a chart's opaque `state`. `nodes`, `positions` and
// `filter` use the names the server reads for exports (server/api-types/graph.ts chartStateSchema); the
// snapshot of nodes and links with all their attributes lets a chart reopen exactly as it was saved, even if
// the store has moved on since.
import type { ViewFilter } from '@domain/model.ts';
import type { AppearanceState } from './appearance.ts';
import type { FilterState } from './filters.ts';
import type { EdgeSnapshot, NodeSnapshot } from './history.ts';

export const CHART_FORMAT = 'linkchart/chart@1';

export interface ChartFile {
  format: typeof CHART_FORMAT;
  nodes: string[];
  positions: Record<string, { x: number; y: number }>;
  filter: ViewFilter;
  snapshot: { nodes: NodeSnapshot[]; edges: EdgeSnapshot[] };
  appearance: Pick<AppearanceState, 'sizeBy' | 'colourBy' | 'showLabels' | 'metrics' | 'communities'>;
  filters: FilterState;
  hidden: string[];
  camera: { x: number; y: number; ratio: number; angle: number } | null;
  mapMode: boolean;
}

export function toChartFile(p: Omit<ChartFile, 'format'>): ChartFile {
  return { format: CHART_FORMAT, ...p };
}

export function parseChartFile(state: Record<string, unknown>): ChartFile {
  if (state.format !== CHART_FORMAT)
    throw new Error(
      `this chart was not saved by this version of the workbench (format ${String(state.format)})`,
    );
  const f = state as unknown as ChartFile;
  if (!f.snapshot || !Array.isArray(f.snapshot.nodes) || !Array.isArray(f.snapshot.edges))
    throw new Error('the saved chart has no snapshot of its nodes and links');
  return f;
}
