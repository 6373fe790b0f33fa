// Saved charts and the draft. A saved chart is a snapshot of the chart (nodes, links, positions, styling,
// filters, camera) in the store's opaque chart state, restored exactly. The draft is the same snapshot of the
// chart being worked on, kept on the server a moment after each change (PUT /api/drafts/current), so a
// reload, a crash or another browser brings it back; one per user (server/routes/drafts.ts says why).
// The address names the open saved chart (?chart=<id>), and the workbench asks before unsaved changes
// (changes not saved as a chart) are thrown away: leaving the page, New chart, opening another chart.
import type { DraftDto } from '@api/drafts.ts';
import { ENTITY_TYPES, type EntityType } from '@domain/model.ts';
import { TYPE_COLOURS, iconUrl } from './graph/style.ts';
import { ApiError, api, request } from './api/client.ts';
import { chart } from './graph/controller.ts';
import { curveParallelEdges } from './graph/build.ts';
import { appStore, bumpGraph, type AppState } from './state/app.ts';
import { DEFAULT_APPEARANCE } from './state/appearance.ts';
import { parseChartFile, toChartFile } from './state/chart-file.ts';
import { toViewFilter } from './state/filters.ts';
import { EMPTY_HISTORY } from './state/history.ts';
import { EMPTY_SELECTION } from './state/selection.ts';
import { fail, notify } from './actions.ts';

/** How long the chart must stay still before the draft is saved: edits come in bursts (drags, expansions). */
export const DRAFT_DELAY_MS = 1500;

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
      // The icon is drawn again from the type on opening: a data URL per node would make up most of the state.
      nodes: g.mapNodes((id, { image: _image, ...a }) => ({ id, attributes: a })),
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

// ---------------------------------------------------------------------------------------------
// What this window knows about the draft

const draft = {
  /** Changes since the chart was last saved, opened or started. */
  unsaved: false,
  /** The draft revision this window last saved or read (0: none). */
  revision: 0,
  /** Another window saved since: this one stops overwriting it (see keepDraft). */
  conflict: false,
  /** The chart size at which the draft was too large to keep; not tried again until smaller. */
  tooLargeAt: null as number | null,
  /** The server's request size limit (GET /api/health), so a chart far past it is not even serialised. */
  limit: null as number | null,
  timer: null as ReturnType<typeof setTimeout> | null,
  saving: null as Promise<void> | null,
  /** Set while the app itself replaces the chart (open, restore, new): that is not an edit. */
  quiet: false,
  /** True once the draft has been read at start: saving before that would overwrite it with an empty chart. */
  started: false,
};

/** True when the chart has changes not saved as a chart (leaving asks first). */
export function hasUnsavedChanges(): boolean {
  return draft.unsaved && chart.graph.order > 0;
}

/** Resolves once the draft holds the chart as it is now (tests and sign-out wait on it). */
export async function draftSettled(): Promise<void> {
  if (draft.timer) {
    clearTimeout(draft.timer);
    draft.timer = null;
    await keepDraft();
  }
  await draft.saving;
}

function scheduleDraft(): void {
  if (!draft.started || draft.conflict) return;
  if (draft.timer) clearTimeout(draft.timer);
  draft.timer = setTimeout(() => {
    draft.timer = null;
    void keepDraft();
  }, DRAFT_DELAY_MS);
}

/** Saves the chart as the user's draft now (one save at a time; a change during a save saves again). */
async function keepDraft(): Promise<void> {
  if (!draft.started || draft.conflict) return;
  if (draft.tooLargeAt !== null && chart.graph.order >= draft.tooLargeAt) return;
  if (draft.saving) {
    await draft.saving;
    return scheduleDraft();
  }
  const s = appStore.get();
  if (!s.user) return;
  const g = chart.graph;
  // A lower bound of a node's and a link's share of the state: past the limit, snapshotting would only
  // block the page to learn the server will refuse it.
  if (draft.limit !== null && g.order * 150 + g.size * 100 > draft.limit) return tooLarge(draft.limit);
  const body = {
    name: s.chart.name,
    chartId: s.chart.id,
    state: { ...snapshotState(), unsaved: draft.unsaved },
    baseRevision: draft.revision,
  };
  draft.saving = (async () => {
    try {
      const d = await request<DraftDto>('PUT', '/api/drafts/current', body);
      draft.revision = d.revision;
      draft.tooLargeAt = null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        draft.conflict = true;
        fail(
          new Error(
            'This chart was also changed in another window or browser, which is now your draft. ' +
              'This window no longer keeps its changes as your draft: save it as a chart to keep them, ' +
              'or reload the page to continue from the other window’s chart.',
          ),
        );
      } else if (e instanceof ApiError && e.status === 413) {
        tooLarge(null, e.message);
      } else if (!(e instanceof ApiError && e.status === 401)) {
        notify(
          `Your draft could not be kept just now (${(e as Error).message}); trying again at the next change`,
        );
      }
    } finally {
      draft.saving = null;
    }
  })();
  await draft.saving;
}

function tooLarge(limit: number | null, message?: string): void {
  draft.tooLargeAt = chart.graph.order;
  const why =
    message ??
    `this chart is too large to keep as a draft (${chart.graph.order} entities; a draft may be at most ` +
      `${Math.round((limit ?? 0) / (1024 * 1024))} MB)`;
  notify(
    `${why.charAt(0).toUpperCase()}${why.slice(1)}. Until it is smaller, a reload will not bring it back.`,
  );
}

/** Starts watching the chart for edits; each one marks it unsaved and saves the draft a moment later. */
export function watchDraft(): () => void {
  const pick = (s: AppState) => [s.graphVersion, s.history, s.appearance, s.filters, s.hidden, s.mapMode];
  let prev = pick(appStore.get());
  const unsubscribe = appStore.subscribe(() => {
    const next = pick(appStore.get());
    const changed = next.some((v, i) => v !== prev[i]);
    prev = next;
    if (!changed || draft.quiet) return;
    draft.unsaved = true;
    scheduleDraft();
  });
  // Signed out: nothing more is saved as this user's draft (the next user's restore starts afresh).
  return () => {
    unsubscribe();
    if (draft.timer) clearTimeout(draft.timer);
    Object.assign(draft, { timer: null, started: false, conflict: false, revision: 0, tooLargeAt: null });
  };
}

/**
 * Before the app works in another operation: the chart as it is now is kept as this operation's draft, then
 * nothing more is saved (the next request goes out in the other operation, whose draft this is not) and the
 * chart is emptied, so nothing of this operation stays on screen. restoreAtStart then brings the other's.
 */
export async function leaveChart(): Promise<void> {
  await draftSettled().catch(() => undefined);
  if (draft.timer) clearTimeout(draft.timer);
  Object.assign(draft, { timer: null, started: false, conflict: false, revision: 0, tooLargeAt: null });
  draft.unsaved = false;
  quietly(() => chart.clear());
  showChartInAddress(null);
}

/** Runs `fn` (which replaces the chart) without it counting as an edit. */
function quietly<T>(fn: () => T): T {
  draft.quiet = true;
  try {
    return fn();
  } finally {
    draft.quiet = false;
  }
}

// ---------------------------------------------------------------------------------------------
// The address

/** Puts the open saved chart in the address (?chart=<id>), or takes it out. */
export function showChartInAddress(id: string | null): void {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set('chart', id);
  else url.searchParams.delete('chart');
  if (url.href !== window.location.href) window.history.replaceState(null, '', url.href);
}

// ---------------------------------------------------------------------------------------------
// Loading a chart state onto the canvas

/** Node attributes as stored, with the icon drawn again when the state left it out. */
function withIcon(a: Record<string, unknown>): Record<string, unknown> {
  if (a.image !== undefined || !ENTITY_TYPES.includes(a.etype as EntityType)) return { ...a };
  const type = a.etype as EntityType;
  return { ...a, image: iconUrl(type, typeof a.color === 'string' ? a.color : TYPE_COLOURS[type]) };
}

function loadState(c: { id: string | null; name: string; state: Record<string, unknown> }): void {
  const f = c.state.format === undefined ? null : parseChartFile(c.state);
  chart.stopLayout();
  chart.stopAnimation();
  // Rebuilt with sigma detached (chart.batch): a large chart is indexed and drawn once, not per entity.
  chart.batch(() =>
    quietly(() => {
      const g = chart.graph;
      g.clear();
      if (f) {
        for (const n of f.snapshot.nodes) g.addNode(n.id, withIcon(n.attributes));
        for (const e of f.snapshot.edges)
          if (g.hasNode(e.source) && g.hasNode(e.target))
            g.addDirectedEdgeWithKey(e.id, e.source, e.target, { ...e.attributes });
        curveParallelEdges(g);
      }
      appStore.set((s) =>
        bumpGraph({
          ...s,
          chart: { id: c.id, name: c.name },
          appearance: f ? { ...s.appearance, ...f.appearance } : { ...DEFAULT_APPEARANCE },
          filters: f ? f.filters : s.filters,
          hidden: f?.hidden ?? [],
          mapMode: f?.mapMode ?? false,
          selection: EMPTY_SELECTION,
          history: EMPTY_HISTORY,
          disruption: null,
          dialog: null,
          lastMerge: null,
        }),
      );
    }),
  );
  if (f?.camera) {
    const cam = f.camera;
    setTimeout(() => chart.sigma?.getCamera().setState(cam), 30);
  }
  showChartInAddress(c.id);
}

function chartName(): string {
  return appStore.get().chart.name;
}

/** Asks before the chart's unsaved changes are thrown away; true to go ahead. */
export function mayDiscard(doing: string): boolean {
  if (!hasUnsavedChanges()) return true;
  return window.confirm(
    `“${chartName()}” has changes that are not saved as a chart. ${doing} and lose them?\n\n` +
      'Cancel, then Charts → Save, to keep them.',
  );
}

// ---------------------------------------------------------------------------------------------
// The analyst's verbs

export async function saveChart(name: string, asNew = false): Promise<void> {
  try {
    const s = appStore.get();
    const saved = await api.saveChart(name, snapshotState(), asNew ? undefined : (s.chart.id ?? undefined));
    quietly(() => appStore.set((st) => ({ ...st, chart: { id: saved.id, name: saved.name }, dialog: null })));
    draft.unsaved = false;
    showChartInAddress(saved.id);
    notify(`Chart “${saved.name}” saved`);
    await keepDraft();
  } catch (e) {
    fail(e);
  }
}

/** Opens a saved chart (asking first when the current one has unsaved changes). */
export async function openChart(id: string, ask = true): Promise<boolean> {
  if (ask && !mayDiscard('Open another chart')) return false;
  try {
    const c = await api.chart(id);
    loadState(c);
    draft.unsaved = false;
    notify(`Opened “${c.name}”`);
    await keepDraft();
    return true;
  } catch (e) {
    fail(
      e instanceof ApiError && e.status === 404
        ? new Error(
            `There is no saved chart ${JSON.stringify(id)}: it may have been deleted, or the link is wrong`,
          )
        : e instanceof ApiError && e.status === 403
          ? new Error(`You may not open chart ${JSON.stringify(id)}`)
          : e,
    );
    return false;
  }
}

/** Starts an empty chart (asking first when the current one has unsaved changes). */
export async function newChart(): Promise<void> {
  if (!mayDiscard('Start a new chart')) return;
  loadState({ id: null, name: 'Untitled chart', state: {} });
  draft.unsaved = false;
  notify('New chart');
  await keepDraft();
}

/**
 * At sign-in: brings back what the user was working on. The address's ?chart=<id> opens that chart, unless
 * the draft holds later work on it (then the draft); a draft with unsaved changes to another chart is not
 * thrown away without asking. Without ?chart, the draft comes back as it was.
 */
export async function restoreAtStart(): Promise<void> {
  const want = new URLSearchParams(window.location.search).get('chart');
  let d: DraftDto | null = null;
  try {
    d = (await request<{ draft: DraftDto | null }>('GET', '/api/drafts/current')).draft;
  } catch (e) {
    fail(e);
  }
  draft.revision = d?.revision ?? 0;
  void api
    .health()
    .then((h) => {
      if ('limits' in h) draft.limit = h.limits.bodyBytes;
    })
    .catch(() => undefined);
  const unsaved = d?.state.unsaved === true;
  const hasWork = d !== null && Array.isArray(d.state.nodes) && d.state.nodes.length > 0;
  try {
    if (want && !(d && d.chartId === want)) {
      const keep =
        hasWork &&
        unsaved &&
        !window.confirm(
          `Your draft “${d!.name}” has changes that are not saved as a chart. Open chart ${want} from the ` +
            'address and lose them? (Cancel keeps your draft.)',
        );
      if (!keep) {
        draft.started = true;
        if (await openChart(want, false)) return;
      }
    }
    if (d && (hasWork || d.chartId)) {
      loadState({ id: d.chartId, name: d.name, state: d.state });
      draft.unsaved = unsaved;
      notify(`Your draft “${d.name}” is back as you left it`);
    } else if (chart.graph.order > 0) {
      // Signed in again as someone else: the last user's chart is not theirs to see.
      loadState({ id: null, name: 'Untitled chart', state: {} });
    } else showChartInAddress(null);
  } catch (e) {
    fail(e);
  } finally {
    draft.started = true;
  }
}
