// Drawing by hand: create an entity or a link with the intelligence report and grading it rests on, edit,
// delete, merge two entities into one and undo the merge. Each is one store transaction (one API call).
// A drawing's undo entry remembers what it wrote (history.ts StoreRecord): undo deletes it from the store
// through the store's own delete (audited like any delete), redo writes it again, and when it cannot go
// (it was there before the drawing, or others have linked to it since) the analyst is told it stays.
import type { EntityType, LinkType, Properties, ReportInput } from '@domain/model.ts';
import { api } from './api/client.ts';
import { writeBatch } from './drawn-undo.ts';
import { appStore } from './state/app.ts';
import { markDrawn, type StoreRecord } from './state/history.ts';
import { chart } from './graph/controller.ts';
import { fail, notify } from './actions.ts';
import { EMPTY_SELECTION } from './state/selection.ts';

/** Parses "name = value" lines into properties (numbers and booleans typed). */
export function parseProperties(text: string): Properties {
  const out: Properties = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) throw new Error(`property line ${i + 1} ("${line}") is not name = value`);
    const v = m[2].trim();
    out[m[1]] =
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : v !== '' && !Number.isNaN(Number(v)) && /^-?[\d.]+$/.test(v)
            ? Number(v)
            : v;
  }
  return out;
}

export function formatProperties(p: Properties): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} = ${v ?? ''}`)
    .join('\n');
}

export interface ReportForm {
  ref: string;
  date: string;
  author: string;
  text: string;
  source: 1 | 2 | 3;
  intel: 'A' | 'B' | 'C' | 'D' | 'E';
  handling: 'P' | 'C';
  conditions: string;
}

function reportInput(r: ReportForm): ReportInput {
  return {
    ref: r.ref.trim(),
    date: r.date,
    author: r.author.trim(),
    text: r.text,
    source: r.source,
    intel: r.intel,
    handling: r.handling,
    conditions: r.handling === 'C' ? r.conditions.trim() : undefined,
  };
}

/** Attaches what the drawing wrote to its undo entry (the add the controller just recorded). */
function remember(store: StoreRecord): void {
  appStore.set((s) => ({ ...s, history: markDrawn(s.history, store) }));
}

export async function createEntity(f: {
  type: EntityType;
  label: string;
  properties: Properties;
  report: ReportForm;
}): Promise<string | null> {
  try {
    const report = reportInput(f.report);
    const input = { type: f.type, label: f.label, properties: f.properties };
    const res = await writeBatch({ reports: [report], entities: [{ ...input, reports: [report.ref] }] });
    const id = res.entityIds[0];
    const e = await api.entity(id);
    // Place the new entity at the centre of the current view.
    const sigma = chart.sigma;
    const c = sigma
      ? sigma.viewportToGraph({ x: sigma.getDimensions().width / 2, y: sigma.getDimensions().height / 2 })
      : { x: 0, y: 0 };
    const had = chart.graph.hasNode(id);
    chart.addSubgraph({ nodes: [e], links: [] }, `draw ${e.label}`);
    chart.graph.mergeNodeAttributes(id, { x: c.x, y: c.y });
    if (!had)
      remember({ kind: 'entity', id, created: res.entities.created > 0, report, input, status: 'in-store' });
    appStore.set((s) => ({
      ...s,
      selection: { nodes: [id], edge: null },
      rightTab: 'details',
      dialog: null,
    }));
    notify(`${e.type} “${e.label}” created`);
    return id;
  } catch (e) {
    fail(e);
    return null;
  }
}

export async function createLink(f: {
  type: LinkType;
  from: string;
  to: string;
  weight: number;
  firstSeen?: string;
  lastSeen?: string;
  report: ReportForm;
}): Promise<string | null> {
  try {
    const report = reportInput(f.report);
    const input = {
      type: f.type,
      weight: f.weight,
      firstSeen: f.firstSeen || undefined,
      lastSeen: f.lastSeen || undefined,
    };
    const res = await writeBatch({
      reports: [report],
      links: [{ ...input, from: { id: f.from }, to: { id: f.to }, reports: [report.ref] }],
    });
    const id = res.linkIds[0];
    const l = await api.link(id);
    const had = chart.graph.hasEdge(id);
    chart.addSubgraph({ nodes: [], links: [l] }, `draw ${l.type}`);
    if (!had)
      remember({ kind: 'link', id, created: res.links.created > 0, report, input, status: 'in-store' });
    appStore.set((s) => ({ ...s, selection: { nodes: [], edge: id }, rightTab: 'details', dialog: null }));
    notify(`Link ${l.type} created`);
    return id;
  } catch (e) {
    fail(e);
    return null;
  }
}

export async function editEntity(
  id: string,
  patch: { label: string; properties: Properties },
): Promise<boolean> {
  try {
    const e = await api.updateEntity(id, patch);
    if (chart.graph.hasNode(id)) chart.graph.mergeNodeAttributes(id, { label: e.label, props: e.properties });
    appStore.set((s) => ({ ...s, dialog: null, graphVersion: s.graphVersion + 1 }));
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

export async function deleteSelectedFromStore(): Promise<void> {
  const sel = appStore.get().selection;
  try {
    if (sel.edge) {
      if (
        !window.confirm(
          'Delete this link from this operation? (Everyone in the operation loses it, not only this chart; other operations holding it keep theirs.)',
        )
      )
        return;
      await api.deleteLink(sel.edge);
      if (chart.graph.hasEdge(sel.edge)) chart.graph.dropEdge(sel.edge);
    } else if (sel.nodes.length) {
      if (
        !window.confirm(
          `Delete ${sel.nodes.length} entit${sel.nodes.length > 1 ? 'ies' : 'y'} and their links from this operation? (Other operations holding them keep theirs.)`,
        )
      )
        return;
      for (const id of sel.nodes) {
        await api.deleteEntity(id);
        if (chart.graph.hasNode(id)) chart.graph.dropNode(id);
      }
    }
    appStore.set((s) => ({ ...s, selection: EMPTY_SELECTION, graphVersion: s.graphVersion + 1 }));
    notify('Deleted');
  } catch (e) {
    fail(e);
  }
}

/** Merges the second selected entity into the first: same real thing found twice. */
export async function mergeSelected(): Promise<void> {
  const sel = appStore.get().selection.nodes;
  if (sel.length !== 2)
    return notify('Select exactly two entities: the one to keep first, then the duplicate');
  const [keep, drop] = sel;
  const a = chart.graph.getNodeAttribute(keep, 'label');
  const b = chart.graph.getNodeAttribute(drop, 'label');
  if (!window.confirm(`Merge “${b}” into “${a}”? Its links and reports move to “${a}”. You can undo this.`))
    return;
  try {
    const m = await api.merge(keep, drop);
    await reloadAround([keep], [drop]);
    appStore.set((s) => ({ ...s, lastMerge: m, selection: { nodes: [keep], edge: null } }));
    notify(`Merged “${b}” into “${a}”`);
  } catch (e) {
    fail(e);
  }
}

export async function undoMerge(): Promise<void> {
  const m = appStore.get().lastMerge;
  if (!m) return;
  try {
    await api.unmerge(m.id);
    await reloadAround([m.keptId], []);
    const e = await api.entity(m.mergedId);
    chart.addSubgraph({ nodes: [e], links: [] }, 'undo merge');
    const nb = await api.neighbourhood({ seeds: [m.mergedId], hops: 1, limit: 2000 });
    chart.addSubgraph({ nodes: [], links: nb.links }, 'undo merge');
    appStore.set((s) => ({
      ...s,
      lastMerge: null,
      selection: { nodes: [m.keptId, m.mergedId], edge: null },
    }));
    notify('Merge undone');
  } catch (e) {
    fail(e);
  }
}

/** After a merge the kept entity's links changed: drop the stale ones and fetch its links again. */
async function reloadAround(ids: string[], dropped: string[]): Promise<void> {
  for (const d of dropped) if (chart.graph.hasNode(d)) chart.graph.dropNode(d);
  for (const id of ids) {
    if (!chart.graph.hasNode(id)) continue;
    for (const e of chart.graph.edges(id)) chart.graph.dropEdge(e);
  }
  const nb = await api.neighbourhood({ seeds: ids, hops: 1, limit: 2000 });
  chart.addSubgraph(
    { nodes: [], links: nb.links.filter((l) => chart.graph.hasNode(l.from) && chart.graph.hasNode(l.to)) },
    'merge',
  );
  appStore.set((s) => ({ ...s, graphVersion: s.graphVersion + 1 }));
}
