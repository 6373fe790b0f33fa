// Saved charts: snapshot the chart (nodes, links, positions, styling, filters, camera) into the store's
// opaque chart state, and restore it exactly.
import { api } from './api/client.ts';
import { chart } from './graph/controller.ts';
import { curveParallelEdges } from './graph/build.ts';
import { appStore, bumpGraph } from './state/app.ts';
import { parseChartFile, toChartFile } from './state/chart-file.ts';
import { toViewFilter } from './state/filters.ts';
import { EMPTY_HISTORY } from './state/history.ts';
import { EMPTY_SELECTION } from './state/selection.ts';
import { fail, notify } from './actions.ts';

export function snapshotState(): Record<string, unknown> {
  const s = appStore.get();
  const g = chart.graph;
  const positions: Record<string, { x: number; y: number }> = {};
  g.forEachNode((n, a) => (positions[n] = { x: a.x as number, y: a.y as number }));
  const cam = chart.sigma?.getCamera().getState() ?? null;
  const file = toChartFile({
    nodes: g.nodes(),
    positions,
    filter: toViewFilter(s.filters),
    snapshot: {
      nodes: g.mapNodes((id, a) => ({ id, attributes: { ...a } })),
      edges: g.mapEdges((id, a, src, tgt) => ({ id, source: src, target: tgt, attributes: { ...a } })),
    },
    appearance: {
      sizeBy: s.appearance.sizeBy,
      colourBy: s.appearance.colourBy,
      showLabels: s.appearance.showLabels,
      metrics: s.appearance.metrics,
      communities: s.appearance.communities,
    },
    filters: s.filters,
    hidden: s.hidden,
    camera: cam,
    mapMode: s.mapMode,
  });
  return file as unknown as Record<string, unknown>;
}

export async function saveChart(name: string, asNew = false): Promise<void> {
  try {
    const s = appStore.get();
    const saved = await api.saveChart(name, snapshotState(), asNew ? undefined : (s.chart.id ?? undefined));
    appStore.set((st) => ({ ...st, chart: { id: saved.id, name: saved.name }, dialog: null }));
    notify(`Chart “${saved.name}” saved`);
  } catch (e) {
    fail(e);
  }
}

export async function openChart(id: string): Promise<void> {
  try {
    const c = await api.chart(id);
    const f = parseChartFile(c.state);
    chart.stopLayout();
    chart.stopAnimation();
    const g = chart.graph;
    g.clear();
    for (const n of f.snapshot.nodes) g.addNode(n.id, { ...n.attributes });
    for (const e of f.snapshot.edges)
      if (g.hasNode(e.source) && g.hasNode(e.target))
        g.addDirectedEdgeWithKey(e.id, e.source, e.target, { ...e.attributes });
    curveParallelEdges(g);
    appStore.set((s) =>
      bumpGraph({
        ...s,
        chart: { id: c.id, name: c.name },
        appearance: { ...s.appearance, ...f.appearance },
        filters: f.filters,
        hidden: f.hidden ?? [],
        mapMode: f.mapMode,
        selection: EMPTY_SELECTION,
        history: EMPTY_HISTORY,
        disruption: null,
        dialog: null,
      }),
    );
    if (f.camera) {
      const cam = f.camera;
      setTimeout(() => chart.sigma?.getCamera().setState(cam), 30);
    }
    notify(`Opened “${c.name}”`);
  } catch (e) {
    fail(e);
  }
}
