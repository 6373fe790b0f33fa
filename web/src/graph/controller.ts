// The chart controller: owns the graphology graph and the sigma renderer, and pushes application state into
// sigma through nodeReducer/edgeReducer (the graph is not UI state). Anything that changes many attributes
// at once does it in one batch (updateEachNodeAttributes) so sigma re-indexes once.
import Sigma from 'sigma';
import { MultiDirectedGraph } from 'graphology';
import type Graph from 'graphology';
import { EdgeArrowProgram, EdgeLineProgram } from 'sigma/rendering';
import type { CameraState, NodeDisplayData, EdgeDisplayData } from 'sigma/types';
import { animateNodes } from 'sigma/utils';
import { createNodeImageProgram } from '@sigma/node-image';
import EdgeCurveProgram, { EdgeCurvedArrowProgram } from '@sigma/edge-curve';
import { curveMiddle } from './curve.ts';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import noverlap from 'graphology-layout-noverlap';
import type { EntityType, Subgraph } from '@domain/model.ts';
import { appStore, bumpGraph, type AppState } from '../state/app.ts';
import { edgePasses, nodePasses, type FilterState } from '../state/filters.ts';
import { record, type EdgeSnapshot, type HistoryEntry, type NodeSnapshot } from '../state/history.ts';
import { clickNode, pruneSelection, selectEdge, selectNodes, EMPTY_SELECTION } from '../state/selection.ts';
import { curveParallelEdges, mergeSubgraph, type EdgeAttrs } from './build.ts';
import {
  LABEL_STYLE,
  canvasMeasurer,
  drawLabels,
  drawNodeRing,
  linkLabelText,
  placeLabels,
  type LabelStyle,
  type LinkLabelItem,
  type NodeLabelItem,
  type PlacedLabel,
} from './labels.ts';
import { besideParents, currentPositions, type Positions } from './layouts.ts';
import { legendModel, type LegendModel } from './legend-model.ts';
import { METRICS } from '../api/analysis.ts';
import {
  TYPE_COLOURS,
  currentCommunityStyles,
  iconUrl,
  paletteColour,
  sizeScale,
  DEFAULT_NODE_SIZE,
} from './style.ts';

const FADED = '#e4e6ea';
/** Sigma's own fit: the whole graph framed in the whole stage. */
const HOME: CameraState = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
/** Entity types labelled first, and the most of them a chart labels all at once. */
const LABEL_FIRST = new Set<EntityType>(['Person', 'Organisation']);
const MAX_FORCED_PEOPLE_LABELS = 40;
const FRAGMENT_REMOVED = '#9aa0a6';
/** The entities ranked highest by the measure sizing the nodes are always labelled. */
export const TOP_RANKED_LABELS = 10;
/** Label grid: cells of this many pixels (at the fitted zoom), this many labels a cell (sigma's meaning). */
const LABEL_GRID_CELL = 140;
const LABEL_DENSITY = 0.6;
const LABEL_MIN_NODE_PX = 5;
/** Links of a hovered or selected entity labelled at most (a hub's hundreds of links would be noise). */
const MAX_URGENT_LINK_LABELS = 300;
const LINK_LABELS_KEY = 'linkchart.linkLabelTypes';
/** Links of the types chosen for labels considered per frame at most. */
const MAX_TYPE_LINK_LABELS = 20_000;

/** What a frame's label pass reads of each node, gathered once per change of the display data. */
interface LabelSource {
  keys: string[];
  index: Map<string, number>;
  fx: Float64Array;
  fy: Float64Array;
  size: Float64Array;
  text: string[];
  priority: Float64Array;
  forced: Uint8Array;
  hidden: Uint8Array;
}

export type ChartGraph = Graph;

function shiftLabel(l: PlacedLabel, dx: number, dy: number): PlacedLabel {
  return {
    ...l,
    x: l.x + dx,
    y: l.y + dy,
    box: { x1: l.box.x1 + dx, y1: l.box.y1 + dy, x2: l.box.x2 + dx, y2: l.box.y2 + dy },
    ...(l.leader ? { leader: [l.leader[0] + dx, l.leader[1] + dy, l.leader[2] + dx, l.leader[3] + dy] } : {}),
  };
}

/** Geometry of the polygon (viewport pixels) used by lasso selection. */
export function pointInPolygon(x: number, y: number, poly: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Changes to more links or entities than this at once are made with sigma detached (see batch). */
const BATCH_AT = 1000;

let firstFrameMarked = false;
/**
 * The render benchmark's "first frame" (bench/suites/50-render.ts; its bare sigma page marks it the same
 * way): once the first frame that draws the chart has reached the screen, that is after the rest of the
 * task that drew it and the paint that follows, not when sigma returned from drawing.
 */
function markFirstFrame(): void {
  if (firstFrameMarked) return;
  firstFrameMarked = true;
  requestAnimationFrame(() => setTimeout(() => performance.mark('linkchart:first-frame'), 0));
}

export class ChartController {
  readonly graph: Graph = new MultiDirectedGraph();
  sigma: Sigma | null = null;
  private fa2: FA2Layout | null = null;
  private hovered: string | null = null;
  private neighbourhood: Set<string> | null = null;
  private hiddenNodes = new Set<string>();
  /** Whether people and organisations all get labels (few enough of them on the chart). */
  private labelPeople = true;
  private hiddenEdges = new Set<string>();
  private selected = new Set<string>();
  /** Nodes and links of the last shortest-path result, drawn emphasised. */
  private pathNodes = new Set<string>();
  private pathEdges = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  private lastState: AppState | null = null;
  private dragged: string | null = null;
  private dragStart: Positions | null = null;
  private dragMoved = false;
  private lassoPoints: Array<[number, number]> | null = null;
  lassoSvg: SVGSVGElement | null = null;
  /** Called once per rendered frame; the benchmark and the tests use it. */
  onFrame: (() => void) | null = null;
  /** Entity ids labelled whatever the density: the top of the ranking sizing the nodes. */
  private topRanked = new Set<string>();
  /** Link types whose every link is labelled (the analyst's choice, from the legend). */
  private linkLabelTypes = new Set<string>();
  private linkLabelTypesSeen = -1;
  private typeLinks: string[] = [];
  /** Link label texts, kept while the chart's data stays the same (a frame must not rebuild 20,000 strings). */
  private linkTexts = new Map<string, string>();
  private linkTextsVersion = -1;
  private labelSource: LabelSource | null = null;
  private labelsDirty = true;
  private measure: ((t: string, size: number) => number) | null = null;
  /** The labels drawn on the last frame (the tests check them for overlaps). */
  lastLabels: PlacedLabel[] = [];
  /** Elements floating over the chart (legend, buttons): labels keep out from under them. */
  labelObstacles: () => HTMLElement[] = () => [];

  /** What sigma is given to draw while the chart's graph is changed in a batch: nothing. */
  private readonly placeholder: Graph = new MultiDirectedGraph();
  private detached = false;

  /**
   * Makes a large change to the graph with sigma detached from it, then draws the result once. Attached,
   * sigma answers every added entity and link with its reducers and every removal with a full re-index;
   * on the whole view (20,000 entities, 60,000 links) that was most of the time before the first frame.
   * Detached, the change costs what building the graph costs, and sigma indexes the result once, as it
   * does a graph it is given at start.
   */
  batch<T>(fn: () => T): T {
    const sigma = this.sigma;
    if (!sigma || this.detached) return fn();
    this.detached = true;
    // Sigma forgets the hovered entity with the graph (the next move onto one hovers it again): so does
    // the chart, or everything but its neighbourhood would stay faded.
    this.hovered = null;
    this.neighbourhood = null;
    sigma.setGraph(this.placeholder);
    try {
      return fn();
    } finally {
      this.detached = false;
      sigma.setGraph(this.graph); // indexes and draws at once
    }
  }

  mount(container: HTMLElement): void {
    try {
      const kept = JSON.parse(localStorage.getItem(LINK_LABELS_KEY) ?? '[]') as unknown;
      if (Array.isArray(kept)) for (const t of kept) if (typeof t === 'string') this.linkLabelTypes.add(t);
    } catch {
      // A damaged entry is ignored.
    }
    const nodeImage = createNodeImageProgram({ size: { mode: 'force', value: 96 }, padding: 0 });
    this.sigma = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      // Labels are drawn by the chart's own pass (labels.ts), which never lets two overlap.
      renderLabels: false,
      renderEdgeLabels: false,
      enableEdgeEvents: true,
      defaultNodeType: 'image',
      defaultEdgeType: 'line',
      labelFont: 'Inter, system-ui, sans-serif',
      labelSize: 12,
      labelWeight: '500',
      labelDensity: LABEL_DENSITY,
      labelGridCellSize: LABEL_GRID_CELL,
      labelRenderedSizeThreshold: LABEL_MIN_NODE_PX,
      // Hover and highlight draw a ring only: the label pass names the node, where it has room.
      defaultDrawNodeHover: drawNodeRing,
      zIndex: true,
      minCameraRatio: 0.02,
      maxCameraRatio: 20,
      hideEdgesOnMove: false,
      nodeProgramClasses: { image: nodeImage },
      edgeProgramClasses: {
        line: EdgeLineProgram,
        arrow: EdgeArrowProgram,
        curved: EdgeCurveProgram,
        curvedArrow: EdgeCurvedArrowProgram,
      },
      nodeReducer: (n, d) => this.nodeReducer(n, d),
      edgeReducer: (e, d) => this.edgeReducer(e, d),
    });
    this.sigma.on('afterRender', () => {
      // While detached (see batch) sigma draws an empty placeholder: nothing of the chart to label.
      if (this.detached) return;
      this.drawFrameLabels();
      if (this.graph.order > 0) markFirstFrame();
      this.onFrame?.();
    });
    this.bindEvents();
    this.unsubscribe = appStore.subscribe(() => this.sync(appStore.get()));
    this.sync(appStore.get());
  }

  destroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.lastState = null;
    this.fa2?.kill();
    this.fa2 = null;
    this.sigma?.kill();
    this.sigma = null;
  }

  // ------------------------------------------------------------------------------------------
  // State -> reducers

  private sync(s: AppState): void {
    const prev = this.lastState;
    this.lastState = s;
    if (!this.sigma) return;
    let refresh = false;
    if (
      !prev ||
      prev.filters !== s.filters ||
      prev.hidden !== s.hidden ||
      prev.graphVersion !== s.graphVersion
    ) {
      this.computeHidden(s.filters, s.hidden);
      refresh = true;
    }
    if (!prev || prev.selection !== s.selection) {
      this.selected = new Set(s.selection.nodes);
      if (s.selection.edge) {
        this.selected.add(this.graph.hasEdge(s.selection.edge) ? this.graph.source(s.selection.edge) : '');
        if (this.graph.hasEdge(s.selection.edge)) this.selected.add(this.graph.target(s.selection.edge));
      }
      refresh = true;
    }
    if (
      !prev ||
      prev.appearance.sizeBy !== s.appearance.sizeBy ||
      prev.appearance.colourBy !== s.appearance.colourBy ||
      prev.appearance.metrics !== s.appearance.metrics ||
      prev.appearance.communities !== s.appearance.communities ||
      prev.graphVersion !== s.graphVersion
    ) {
      this.applyAppearance(s);
      refresh = false; // attribute updates already trigger a full refresh
    }
    if (!prev || prev.appearance.showLabels !== s.appearance.showLabels || prev.disruption !== s.disruption)
      refresh = true;
    // Edge picking costs a second render of every link: only worth it while links can be told apart.
    const edgeEvents = this.graph.size < 5000;
    if (this.sigma.getSetting('enableEdgeEvents') !== edgeEvents)
      this.sigma.setSetting('enableEdgeEvents', edgeEvents);
    if (!prev || prev.lasso !== s.lasso) this.sigma.setSetting('enableCameraPanning', !s.lasso);
    // Detached, sigma draws nothing of the chart; re-attaching draws it afresh.
    if (refresh && !this.detached) this.sigma.refresh({ skipIndexation: true });
  }

  /** Filter and hide sets, computed once per change so reducers stay O(1) per item. */
  private computeHidden(f: FilterState, hidden: string[]): void {
    const hn = new Set<string>(hidden);
    const he = new Set<string>();
    this.graph.forEachNode((n, a) => {
      if (!nodePasses(a.etype as EntityType, f)) hn.add(n);
    });
    const hasVisibleEdge = new Set<string>();
    this.graph.forEachEdge((e, a, s, t) => {
      if (hn.has(s) || hn.has(t) || !edgePasses(a as EdgeAttrs, f)) he.add(e);
      else {
        hasVisibleEdge.add(s);
        hasVisibleEdge.add(t);
      }
    });
    // While a time window is set, a node whose every link lies outside it has not "appeared" yet.
    if (f.time || f.minGrading) {
      this.graph.forEachNode((n) => {
        if (!hasVisibleEdge.has(n) && this.graph.degree(n) > 0) hn.add(n);
      });
    }
    this.hiddenNodes = hn;
    this.hiddenEdges = he;
    let people = 0;
    this.graph.forEachNode((n, a) => {
      if (!hn.has(n) && LABEL_FIRST.has(a.etype as EntityType)) people++;
    });
    this.labelPeople = people <= MAX_FORCED_PEOPLE_LABELS;
  }

  /** Sizes and colours written to the graph in one batch. */
  private applyAppearance(s: AppState): void {
    const a = s.appearance;
    const values = a.sizeBy ? a.metrics[a.sizeBy] : undefined;
    const size = values ? sizeScale(new Map(Object.entries(values))) : () => DEFAULT_NODE_SIZE;
    const comm = a.colourBy === 'community' ? a.communities : null;
    const styles = comm ? currentCommunityStyles(comm) : null;
    this.topRanked = new Set(
      values
        ? Object.entries(values)
            .filter(([id, v]) => Number.isFinite(v) && this.graph.hasNode(id))
            .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
            .slice(0, TOP_RANKED_LABELS)
            .map(([id]) => id)
        : [],
    );
    this.graph.updateEachNodeAttributes(
      (n, attr) => {
        const t = attr.etype as EntityType;
        const cs = styles && comm![n] !== undefined ? styles.get(comm![n]) : undefined;
        const colour = cs ? cs.fill : TYPE_COLOURS[t];
        attr.size = size(n);
        attr.color = colour;
        attr.image = iconUrl(t, colour, cs?.ring ?? null);
        return attr;
      },
      // 'type' in the hints makes sigma re-index: nodes added since the last frame have no program slot yet.
      { attributes: ['size', 'color', 'image', 'type'] },
    );
  }

  // Sigma hands each reducer its own copy of the attributes (sigma.addNode): the reducers change that copy
  // instead of copying it again, 80,000 objects fewer on the whole view.
  private nodeReducer(n: string, d: Record<string, unknown>): Partial<NodeDisplayData> {
    this.labelsDirty = true;
    const res = d as Partial<NodeDisplayData> & Record<string, unknown>;
    const label = d.label;
    if (this.hiddenNodes.has(n)) {
      res.hidden = true;
      return res;
    }
    const s = this.lastState;
    const frag = s?.disruption?.fragments;
    if (frag) {
      if (s!.disruption!.removed.includes(n)) {
        res.color = FRAGMENT_REMOVED;
        res.image = iconUrl(d.etype as EntityType, FRAGMENT_REMOVED);
      } else if (frag[n] !== undefined && frag[n] > 0) {
        // The largest remaining component keeps its usual colours; the pieces broken off stand out.
        const c = paletteColour(frag[n]);
        res.color = c;
        res.image = iconUrl(d.etype as EntityType, c);
      }
    }
    const focus = this.neighbourhood;
    if (focus && !focus.has(n)) {
      res.color = FADED;
      res.image = iconUrl(d.etype as EntityType, FADED);
      res.label = '';
      res.zIndex = 0;
    } else if (this.selected.has(n) || this.pathNodes.has(n)) {
      res.highlighted = true;
      res.zIndex = 2;
      res.forceLabel = true;
    }
    // The top of the ranking is named whatever else is on the chart: it is what the chart is shown for.
    else if (this.topRanked.has(n) && !focus) res.forceLabel = true;
    // People and organisations are what a chart is read for: on a chart with few of them, every one is
    // named, whatever the label grid would have picked (it favours the largest nodes, often phones).
    else if (this.labelPeople && !focus && LABEL_FIRST.has(d.etype as EntityType)) res.forceLabel = true;
    if (n === this.hovered) res.forceLabel = true;
    // Who gets a label first where space is short: the hovered entity, the selection and paths, the top of
    // the ranking, then people and organisations, then the larger nodes.
    const type = d.etype as EntityType;
    res.labelPriority =
      (n === this.hovered ? 4e6 : 0) +
      (res.highlighted ? 3e6 : 0) +
      (this.topRanked.has(n) ? 2e6 : 0) +
      (type === 'Person' ? 2000 : type === 'Organisation' ? 1500 : 0) +
      Number(res.size ?? d.size ?? 0) * 10;
    if (d.fixed) res.label = `${String(label)} ⚲`;
    if (s && !s.appearance.showLabels && !res.highlighted) res.label = '';
    return res;
  }

  // ------------------------------------------------------------------------------------------
  // Labels: placed by labels.ts so none overlaps, drawn on sigma's label layer after each frame

  /** Which link types have every link labelled; shown by the legend. */
  linkLabelTypesShown(): string[] {
    return [...this.linkLabelTypes].sort();
  }

  /** Labels every link of a type (or stops). */
  setLinkTypeLabels(type: string, on: boolean): void {
    if (on) this.linkLabelTypes.add(type);
    else this.linkLabelTypes.delete(type);
    this.linkLabelTypesSeen = -1;
    // The choice is the analyst's way of reading charts: it is kept for the next session.
    try {
      localStorage.setItem(LINK_LABELS_KEY, JSON.stringify([...this.linkLabelTypes]));
    } catch {
      // Storage may be full or refused; the choice then lasts for this page only.
    }
    this.sigma?.refresh({ skipIndexation: true });
  }

  private gatherLabelSource(sigma: Sigma): LabelSource {
    const keys = this.graph.nodes();
    const n = keys.length;
    const src: LabelSource = {
      keys,
      index: new Map(),
      fx: new Float64Array(n),
      fy: new Float64Array(n),
      size: new Float64Array(n),
      text: new Array<string>(n),
      priority: new Float64Array(n),
      forced: new Uint8Array(n),
      hidden: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      src.index.set(k, i);
      const d = sigma.getNodeDisplayData(k) as (NodeDisplayData & { labelPriority?: number }) | undefined;
      if (!d || d.hidden) {
        src.hidden[i] = 1;
        src.text[i] = '';
        continue;
      }
      src.fx[i] = d.x;
      src.fy[i] = d.y;
      src.size[i] = d.size;
      src.text[i] = d.label ?? '';
      src.priority[i] = d.labelPriority ?? d.size;
      src.forced[i] = d.forceLabel ? 1 : 0;
    }
    return src;
  }

  /** The links whose labels the analyst asked for by type (re-listed when the chart or the choice changes). */
  private linksOfChosenTypes(): string[] {
    const v = this.lastState?.graphVersion ?? 0;
    if (this.linkLabelTypesSeen !== v) {
      this.linkLabelTypesSeen = v;
      this.typeLinks = this.linkLabelTypes.size
        ? this.graph.filterEdges((_e, a) => this.linkLabelTypes.has(a.ltype as string))
        : [];
    }
    return this.typeLinks;
  }

  /**
   * The labels of one frame of `sigma` (the chart, or the renderer an image export draws with): nodes
   * and links in its viewport, placed so that none overlaps. `scale` enlarges the type for big images.
   */
  computeLabels(sigma: Sigma, style: LabelStyle = LABEL_STYLE): PlacedLabel[] {
    // Another renderer (an image export's) has display data of its own: read it, and keep the chart's.
    const main = sigma === this.sigma;
    if (main && (this.labelsDirty || !this.labelSource)) {
      this.labelSource = this.gatherLabelSource(sigma);
      this.labelsDirty = false;
    }
    const src = main && this.labelSource ? this.labelSource : this.gatherLabelSource(sigma);
    const { width, height } = sigma.getDimensions();
    const f2v = (x: number, y: number) => sigma.framedGraphToViewport({ x, y });
    const o = f2v(0, 0);
    const ex = f2v(1, 0);
    const ey = f2v(0, 1);
    const unzoomed = { cameraState: { x: 0.5, y: 0.5, ratio: 1, angle: 0 } };
    const uo = sigma.framedGraphToViewport({ x: 0, y: 0 }, unzoomed);
    const ux = sigma.framedGraphToViewport({ x: 1, y: 0 }, unzoomed);
    const uy = sigma.framedGraphToViewport({ x: 0, y: 1 }, unzoomed);
    const k = sigma.scaleSize(1);
    const ratio = sigma.getCamera().getState().ratio;
    const cols = Math.ceil((width * 4) / LABEL_GRID_CELL) + 8;
    const vx = (i: number) => o.x + src.fx[i] * (ex.x - o.x) + src.fy[i] * (ey.x - o.x);
    const vy = (i: number) => o.y + src.fx[i] * (ex.y - o.y) + src.fy[i] * (ey.y - o.y);
    const nodes: NodeLabelItem[] = [];
    for (let i = 0; i < src.keys.length; i++) {
      if (src.hidden[i] || !src.text[i]) continue;
      const x = vx(i);
      const y = vy(i);
      if (x < -60 || y < -60 || x > width + 60 || y > height + 60) continue;
      const size = src.size[i] * k;
      if (!src.forced[i] && size < LABEL_MIN_NODE_PX) continue;
      const gx = uo.x + src.fx[i] * (ux.x - uo.x) + src.fy[i] * (uy.x - uo.x);
      const gy = uo.y + src.fx[i] * (ux.y - uo.y) + src.fy[i] * (uy.y - uo.y);
      nodes.push({
        key: src.keys[i],
        text: src.text[i],
        x,
        y,
        size,
        priority: src.priority[i],
        forced: !!src.forced[i],
        cell: Math.floor(gy / LABEL_GRID_CELL) * cols + Math.floor(gx / LABEL_GRID_CELL) + cols * 4,
      });
    }
    // The shortest link label ("owns") needs about this many pixels of link; shorter links are skipped
    // before their text is built (most of a fitted 60,000-link chart).
    const MIN_LABELLED_LINK = 28;
    const linkItem = (e: string, priority: number, urgent = false): LinkLabelItem | null => {
      if (this.hiddenEdges.has(e) || !this.graph.hasEdge(e)) return null;
      const a = src.index.get(this.graph.source(e));
      const b = src.index.get(this.graph.target(e));
      if (a === undefined || b === undefined || src.hidden[a] || src.hidden[b]) return null;
      const x1 = vx(a);
      const y1 = vy(a);
      const x2 = vx(b);
      const y2 = vy(b);
      const dx = x2 - x1;
      const dy = y2 - y1;
      const c = Number(this.graph.getEdgeAttribute(e, 'curvature') ?? 0);
      const [mx, my] = curveMiddle(x1, y1, x2, y2, c);
      if (mx < 0 || my < 0 || mx > width || my > height) return null;
      const len = Math.hypot(dx, dy) - (src.size[a] + src.size[b]) * k;
      if (!urgent && len < MIN_LABELLED_LINK) return null;
      let text = this.linkTexts.get(e);
      if (text === undefined) {
        text = linkLabelText(this.graph.getEdgeAttributes(e) as Parameters<typeof linkLabelText>[0]);
        this.linkTexts.set(e, text);
      }
      return {
        key: e,
        text,
        x: mx,
        y: my,
        length: len,
        priority,
      };
    };
    const version = this.lastState?.graphVersion ?? 0;
    if (version !== this.linkTextsVersion) {
      this.linkTextsVersion = version;
      this.linkTexts.clear();
    }
    const urgent: LinkLabelItem[] = [];
    const urgentSeen = new Set<string>();
    const addUrgent = (e: string, p: number): void => {
      if (urgentSeen.has(e) || urgent.length >= MAX_URGENT_LINK_LABELS) return;
      urgentSeen.add(e);
      const it = linkItem(e, p, true);
      if (it) urgent.push(it);
    };
    const selEdge = this.lastState?.selection.edge;
    if (selEdge) addUrgent(selEdge, 3e6);
    if (this.hovered && this.graph.hasNode(this.hovered))
      this.graph.forEachEdge(this.hovered, (e, a) => addUrgent(e, 2e6 + Number(a.weight ?? 1)));
    for (const n of this.selected)
      if (n && this.graph.hasNode(n))
        this.graph.forEachEdge(n, (e, a) => addUrgent(e, 1e6 + Number(a.weight ?? 1)));
    const chosen: LinkLabelItem[] = [];
    const typed = this.linksOfChosenTypes();
    for (let i = 0; i < typed.length && i < MAX_TYPE_LINK_LABELS; i++) {
      if (urgentSeen.has(typed[i])) continue;
      const it = linkItem(typed[i], Number(this.graph.getEdgeAttribute(typed[i], 'weight') ?? 1));
      if (it) chosen.push(it);
    }
    this.measure ??= canvasMeasurer(LABEL_STYLE);
    const scale = style.fontSize / LABEL_STYLE.fontSize;
    const measure = this.measure;
    return placeLabels(
      nodes,
      chosen,
      (t, s) => measure(t, s / scale) * scale,
      {
        width,
        height,
        fontSize: style.fontSize,
        linkFontSize: style.linkFontSize,
        perCell: Math.max(1, Math.ceil(LABEL_DENSITY / (ratio * ratio))),
        minNodeSize: LABEL_MIN_NODE_PX,
        maxLabels: 1500,
        obstacles: main ? this.obstacleBoxes() : [],
      },
      urgent,
    );
  }

  private obstacleBoxes(): Array<{ x1: number; y1: number; x2: number; y2: number }> {
    const container = this.sigma?.getContainer();
    if (!container) return [];
    const c = container.getBoundingClientRect();
    return this.labelObstacles().map((el) => {
      const r = el.getBoundingClientRect();
      return {
        x1: r.left - c.left - 4,
        y1: r.top - c.top - 4,
        x2: r.right - c.left + 4,
        y2: r.bottom - c.top + 4,
      };
    });
  }

  /** What the last full placement was made for: a pan alone only shifts it (see drawFrameLabels). */
  private placedFor: {
    ratio: number;
    angle: number;
    width: number;
    height: number;
    x: number;
    y: number;
  } | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Labels for the frame sigma just drew. While the camera only pans (same zoom, same data), the last
   * placement moves with the chart instead of being placed again, so panning costs what it costs without
   * labels; once the chart stops, labels are placed afresh for what has come into view.
   */
  private drawFrameLabels(): void {
    const sigma = this.sigma;
    if (!sigma) return;
    if (this.graph.order === 0) {
      this.lastLabels = [];
      this.placedFor = null;
      return;
    }
    const cam = sigma.getCamera().getState();
    const { width, height } = sigma.getDimensions();
    const origin = sigma.framedGraphToViewport({ x: 0, y: 0 });
    const p = this.placedFor;
    if (
      p &&
      !this.labelsDirty &&
      p.ratio === cam.ratio &&
      p.angle === cam.angle &&
      p.width === width &&
      p.height === height
    ) {
      const dx = origin.x - p.x;
      const dy = origin.y - p.y;
      if (dx !== 0 || dy !== 0) {
        this.lastLabels = this.lastLabels.map((l) => shiftLabel(l, dx, dy));
        this.placedFor = { ...p, x: origin.x, y: origin.y };
        if (this.settleTimer) clearTimeout(this.settleTimer);
        this.settleTimer = setTimeout(() => this.replaceLabels(), 120);
      }
    } else {
      this.lastLabels = this.computeLabels(sigma);
      this.placedFor = { ratio: cam.ratio, angle: cam.angle, width, height, x: origin.x, y: origin.y };
    }
    const ctx = sigma.getCanvases().labels.getContext('2d');
    if (ctx) drawLabels(ctx, this.lastLabels);
  }

  /** Places labels afresh on the labels layer alone (after a pan, without drawing the graph again). */
  private replaceLabels(): void {
    this.settleTimer = null;
    const sigma = this.sigma;
    if (!sigma) return;
    this.placedFor = null;
    const ctx = sigma.getCanvases().labels.getContext('2d');
    if (!ctx) return;
    const { width, height } = sigma.getDimensions();
    ctx.clearRect(0, 0, width, height);
    this.drawFrameLabels();
  }

  private edgeReducer(e: string, d: Record<string, unknown>): Partial<EdgeDisplayData> {
    const res = d as Partial<EdgeDisplayData>;
    if (this.hiddenEdges.has(e)) {
      res.hidden = true;
      return res;
    }
    const focus = this.neighbourhood;
    if (focus) {
      const src = this.graph.source(e);
      const tgt = this.graph.target(e);
      if (!(src === this.hovered || tgt === this.hovered)) {
        res.color = '#f0f1f3';
        res.zIndex = 0;
      } else res.zIndex = 1;
    }
    if (this.pathEdges.has(e) || this.lastState?.selection.edge === e) {
      res.color = '#d62728';
      res.size = Math.max(3, Number(d.size) + 1);
      res.zIndex = 2;
    }
    return res;
  }

  // ------------------------------------------------------------------------------------------
  // Events: hover, click, drag, lasso

  private bindEvents(): void {
    const sigma = this.sigma!;
    sigma.on('enterNode', ({ node }) => {
      this.hovered = node;
      this.neighbourhood = new Set([node, ...this.graph.neighbors(node)]);
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on('leaveNode', () => {
      this.hovered = null;
      this.neighbourhood = null;
      sigma.refresh({ skipIndexation: true });
    });
    let lastClicked: string | null = null;
    const onNodeClick = (node: string, original: MouseEvent | TouchEvent): void => {
      if (this.dragMoved) return;
      lastClicked = node;
      const additive = original.shiftKey || original.ctrlKey || original.metaKey;
      appStore.set((s) => ({ ...s, selection: clickNode(s.selection, node, additive), rightTab: 'details' }));
    };
    sigma.on('clickNode', ({ node, event }) => onNodeClick(node, event.original));
    // Sigma turns a second click within its double-click delay into a double click, even on another node:
    // quick shift-clicks on two entities must still select both, and never zoom.
    sigma.on('doubleClickNode', ({ node, event }) => {
      event.preventSigmaDefault();
      if (node !== lastClicked) onNodeClick(node, event.original);
    });
    sigma.on('clickEdge', ({ edge }) => {
      // The end of a drag or of a lasso over a link is not a click on it.
      if (appStore.get().lasso || this.dragMoved) return;
      appStore.set((s) => ({ ...s, selection: selectEdge(s.selection, edge), rightTab: 'details' }));
    });
    sigma.on('clickStage', () => {
      if (appStore.get().lasso || this.dragMoved) return;
      appStore.set((s) => ({ ...s, selection: EMPTY_SELECTION }));
    });
    sigma.on('downNode', ({ node }) => {
      if (appStore.get().lasso) return;
      this.dragged = node;
      this.dragMoved = false;
      const sel = appStore.get().selection.nodes;
      const moving = sel.includes(node) ? sel : [node];
      this.dragStart = currentPositions(this.graph, moving);
    });
    const captor = sigma.getMouseCaptor();
    captor.on('mousemovebody', (e) => {
      if (this.lassoPoints) {
        this.lassoPoints.push([e.x, e.y]);
        this.drawLasso();
        e.preventSigmaDefault();
        return;
      }
      if (!this.dragged || !this.dragStart) return;
      const p = sigma.viewportToGraph(e);
      const origin = this.dragStart[this.dragged];
      const dx = p.x - origin[0];
      const dy = p.y - origin[1];
      for (const [id, [x, y]] of Object.entries(this.dragStart)) {
        if (this.graph.hasNode(id)) this.graph.mergeNodeAttributes(id, { x: x + dx, y: y + dy });
      }
      this.dragMoved = true;
      e.preventSigmaDefault();
      e.original.preventDefault();
      e.original.stopPropagation();
    });
    captor.on('mousedown', (e) => {
      if (!appStore.get().lasso) return;
      this.lassoPoints = [[e.x, e.y]];
    });
    const up = (): void => {
      if (this.lassoPoints) {
        const poly = this.lassoPoints;
        this.lassoPoints = null;
        this.drawLasso();
        if (poly.length > 2) this.selectInPolygon(poly);
        // The button coming up ends the gesture and is also a click on the stage (or a node), which would
        // clear (or replace) the selection the lasso just made: treat it as the end of a drag.
        this.dragMoved = true;
        setTimeout(() => (this.dragMoved = false), 0);
        return;
      }
      if (this.dragged && this.dragStart && this.dragMoved) {
        const before = this.dragStart;
        const after = currentPositions(this.graph, Object.keys(before));
        appStore.set((s) => ({
          ...s,
          history: record(s.history, { kind: 'move', label: 'move', before, after }),
        }));
      }
      this.dragged = null;
      this.dragStart = null;
      // Let the click that follows a drag see dragMoved, then clear it.
      setTimeout(() => (this.dragMoved = false), 0);
    };
    captor.on('mouseup', up);
    sigma.on('upNode', up);
  }

  private drawLasso(): void {
    const svg = this.lassoSvg;
    if (!svg) return;
    const pts = this.lassoPoints;
    svg.innerHTML =
      pts && pts.length > 1
        ? `<polygon points="${pts.map(([x, y]) => `${x},${y}`).join(' ')}" fill="rgba(47,111,219,0.12)" stroke="#2f6fdb" stroke-dasharray="4 3"/>`
        : '';
  }

  private selectInPolygon(poly: Array<[number, number]>): void {
    const sigma = this.sigma!;
    const ids: string[] = [];
    this.graph.forEachNode((n, a) => {
      if (this.hiddenNodes.has(n)) return;
      const v = sigma.graphToViewport({ x: a.x as number, y: a.y as number });
      if (pointInPolygon(v.x, v.y, poly)) ids.push(n);
    });
    appStore.set((s) => ({
      ...s,
      selection: selectNodes(s.selection, ids, false),
      lasso: false,
      notice: `${ids.length} selected by lasso`,
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Graph edits (each recorded for undo)

  /** Adds the subgraph; returns what was new. Recorded as one undoable step. */
  addSubgraph(sub: Pick<Subgraph, 'nodes' | 'links'>, label = 'add'): { nodes: string[]; edges: string[] } {
    if (sub.nodes.length + sub.links.length >= BATCH_AT) return this.batch(() => this.add(sub, label));
    return this.add(sub, label);
  }

  private add(sub: Pick<Subgraph, 'nodes' | 'links'>, label: string): { nodes: string[]; edges: string[] } {
    const hadNodes = this.graph.order > 0;
    const r = mergeSubgraph(this.graph, sub);
    // An expansion grows out of the entity expanded, on arcs facing away from the rest of the chart.
    if (hadNodes && r.addedNodes.length) this.setPositions(besideParents(this.graph, r.addedNodes));
    if (r.addedNodes.length || r.addedEdges.length) {
      const entry: HistoryEntry = {
        kind: 'add',
        label,
        nodes: r.addedNodes.map((id) => this.nodeSnapshot(id)),
        edges: r.addedEdges.map((id) => this.edgeSnapshot(id)),
      };
      appStore.set((s) => bumpGraph({ ...s, history: record(s.history, entry) }));
    }
    return { nodes: r.addedNodes, edges: r.addedEdges };
  }

  nodeSnapshot(id: string): NodeSnapshot {
    return { id, attributes: { ...this.graph.getNodeAttributes(id) } };
  }
  edgeSnapshot(id: string): EdgeSnapshot {
    return {
      id,
      source: this.graph.source(id),
      target: this.graph.target(id),
      attributes: { ...this.graph.getEdgeAttributes(id) },
    };
  }

  /** Removes nodes (and their links) from the chart, not from the store. */
  removeNodes(ids: string[], label = 'remove'): void {
    const present = ids.filter((id) => this.graph.hasNode(id));
    if (!present.length) return;
    const edgeIds = new Set<string>();
    for (const id of present) this.graph.forEachEdge(id, (e) => edgeIds.add(e));
    const entry: HistoryEntry = {
      kind: 'remove',
      label,
      nodes: present.map((id) => this.nodeSnapshot(id)),
      edges: [...edgeIds].map((id) => this.edgeSnapshot(id)),
    };
    this.applyEntry(entry);
    appStore.set((s) => ({ ...s, history: record(s.history, entry) }));
  }

  removeEdges(ids: string[], label = 'remove link'): void {
    const present = ids.filter((id) => this.graph.hasEdge(id));
    if (!present.length) return;
    const entry: HistoryEntry = {
      kind: 'remove',
      label,
      nodes: [],
      edges: present.map((id) => this.edgeSnapshot(id)),
    };
    this.applyEntry(entry);
    appStore.set((s) => ({ ...s, history: record(s.history, entry) }));
  }

  /** Applies an entry forwards (undo passes its inverse). */
  applyEntry(e: HistoryEntry): void {
    // Each removal makes an attached sigma re-index everything: any removal of more than one item, and any
    // large addition, is made detached.
    const large =
      (e.kind === 'add' && e.nodes.length + e.edges.length >= BATCH_AT) ||
      (e.kind === 'remove' && e.nodes.length + e.edges.length > 1);
    if (large) this.batch(() => this.apply(e));
    else this.apply(e);
  }

  private apply(e: HistoryEntry): void {
    this.stopAnimation();
    const g = this.graph;
    switch (e.kind) {
      case 'add':
        for (const n of e.nodes) if (!g.hasNode(n.id)) g.addNode(n.id, { ...n.attributes });
        for (const ed of e.edges)
          if (!g.hasEdge(ed.id) && g.hasNode(ed.source) && g.hasNode(ed.target))
            g.addDirectedEdgeWithKey(ed.id, ed.source, ed.target, { ...ed.attributes });
        curveParallelEdges(g);
        break;
      case 'remove':
        for (const ed of e.edges) if (g.hasEdge(ed.id)) g.dropEdge(ed.id);
        for (const n of e.nodes) if (g.hasNode(n.id)) g.dropNode(n.id);
        curveParallelEdges(g);
        break;
      case 'move':
        this.setPositions(e.after);
        break;
      case 'style':
        for (const [id, attrs] of Object.entries(e.after))
          if (g.hasNode(id)) g.mergeNodeAttributes(id, attrs);
        break;
    }
    appStore.set((s) =>
      bumpGraph({
        ...s,
        selection: pruneSelection(
          s.selection,
          (id) => g.hasNode(id),
          (id) => g.hasEdge(id),
        ),
      }),
    );
  }

  setPositions(p: Positions): void {
    this.graph.updateEachNodeAttributes(
      (id, a) => {
        const q = p[id];
        if (q) {
          a.x = q[0];
          a.y = q[1];
        }
        return a;
      },
      { attributes: ['x', 'y'] },
    );
  }

  /** Moves nodes to new positions with a short animation, recorded as one undoable move. */
  moveTo(p: Positions, label: string, animate = true): void {
    const before = currentPositions(this.graph, Object.keys(p));
    appStore.set((s) => ({ ...s, history: record(s.history, { kind: 'move', label, before, after: p }) }));
    this.stopAnimation();
    if (animate && this.sigma && this.graph.order < 3000) {
      const targets: Record<string, { x: number; y: number }> = {};
      for (const [id, [x, y]] of Object.entries(p)) targets[id] = { x, y };
      const cancel = animateNodes(this.graph, targets, { duration: 400 }, () => {
        this.cancelAnimation = null;
        this.fit();
      });
      // Cancelling jumps to the end positions, so an interrupted layout still lands where it was going.
      this.cancelAnimation = () => {
        cancel();
        this.setPositions(Object.fromEntries(Object.entries(p).filter(([id]) => this.graph.hasNode(id))));
      };
    } else {
      this.setPositions(p);
      this.fit();
    }
  }

  private cancelAnimation: (() => void) | null = null;

  /** Whether nodes or the camera are still moving to where a layout or a fit sends them. */
  animating(): boolean {
    return this.cancelAnimation !== null || !!this.sigma?.getCamera().isAnimated();
  }

  /** Stops a running layout animation: it writes positions every frame and must not outlive its nodes. */
  stopAnimation(): void {
    const c = this.cancelAnimation;
    this.cancelAnimation = null;
    c?.();
  }

  togglePin(ids: string[]): void {
    const before: Record<string, Record<string, unknown>> = {};
    const after: Record<string, Record<string, unknown>> = {};
    const pin = ids.some((id) => !this.graph.getNodeAttribute(id, 'fixed'));
    for (const id of ids) {
      before[id] = { fixed: !!this.graph.getNodeAttribute(id, 'fixed') };
      after[id] = { fixed: pin };
    }
    const entry: HistoryEntry = { kind: 'style', label: pin ? 'pin' : 'unpin', before, after };
    this.applyEntry(entry);
    appStore.set((s) => ({ ...s, history: record(s.history, entry) }));
  }

  clear(): void {
    this.stopAnimation();
    this.stopLayout();
    this.graph.clear();
    this.pathNodes.clear();
    this.pathEdges.clear();
    appStore.set((s) => bumpGraph({ ...s, selection: EMPTY_SELECTION, disruption: null }));
  }

  showPath(nodes: string[], edges: string[]): void {
    this.pathNodes = new Set(nodes);
    this.pathEdges = new Set(edges);
    this.sigma?.refresh({ skipIndexation: true });
  }

  // ------------------------------------------------------------------------------------------
  // Layout and camera

  isLayoutRunning(): boolean {
    return !!this.fa2?.isRunning();
  }

  private layoutBefore: Positions | null = null;

  private layoutTimer: ReturnType<typeof setTimeout> | null = null;

  /** Starts ForceAtlas2 in its worker; with `stopAfterMs`, stops (and de-overlaps) on its own. */
  startLayout(opts: { stopAfterMs?: number } = {}): void {
    if (this.graph.order === 0) return;
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    if (opts.stopAfterMs) this.layoutTimer = setTimeout(() => this.stopLayout(), opts.stopAfterMs);
    this.fa2?.kill();
    const settings = forceAtlas2.inferSettings(this.graph);
    this.layoutBefore = currentPositions(this.graph);
    this.fa2 = new FA2Layout(this.graph, {
      settings: { ...settings, barnesHutOptimize: this.graph.order > 1000, adjustSizes: false },
      getEdgeWeight: 'weight',
    });
    this.fa2.start();
  }

  /** Stops ForceAtlas2 and spreads overlapping nodes apart (noverlap), as one undoable move. */
  stopLayout(): void {
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    this.layoutTimer = null;
    if (!this.fa2) return;
    this.fa2.stop();
    this.fa2.kill();
    this.fa2 = null;
    if (this.graph.order <= 5000)
      noverlap.assign(this.graph, { maxIterations: 60, settings: { margin: 2, ratio: 1.1 } });
    if (this.layoutBefore) {
      const before = this.layoutBefore;
      const after = currentPositions(this.graph);
      appStore.set((s) => ({
        ...s,
        history: record(s.history, { kind: 'move', label: 'layout', before, after }),
      }));
    }
    this.layoutBefore = null;
  }

  /** Runs ForceAtlas2 synchronously for a bounded number of iterations (used after loading data). */
  quickLayout(iterations = 100): void {
    if (this.graph.order < 2) return;
    const settings = forceAtlas2.inferSettings(this.graph);
    forceAtlas2.assign(this.graph, {
      iterations,
      settings: { ...settings, barnesHutOptimize: this.graph.order > 1000 },
      getEdgeWeight: 'weight',
    });
    if (this.graph.order <= 3000)
      noverlap.assign(this.graph, { maxIterations: 40, settings: { margin: 2, ratio: 1.1 } });
  }

  /** The camera fit() last chose: while the camera stays there, a legend that grows or shrinks refits. */
  private home: CameraState | null = null;

  /** Shows the whole chart, in the part of the stage the legend leaves free. */
  fit(duration = 300): void {
    const s = this.sigma;
    if (!s) return;
    const home = this.homeCamera();
    this.home = home;
    void s.getCamera().animate(home, { duration });
  }

  /** Fits again if the camera is where fit() (or sigma, at start) left it: the legend changed its size. */
  refitIfHome(): void {
    const s = this.sigma;
    if (!s || this.graph.order === 0) return;
    const c = s.getCamera().getState();
    const same = (a: CameraState | null): boolean =>
      !!a &&
      Math.abs(a.x - c.x) < 1e-6 &&
      Math.abs(a.y - c.y) < 1e-6 &&
      Math.abs(a.ratio - c.ratio) < 1e-6 &&
      a.angle === c.angle;
    if (same(HOME) || same(this.home)) this.fit(150);
  }

  /**
   * The camera showing every visible entity clear of the legend: sigma's own fit when the legend covers
   * none of them; otherwise the chart scaled into the larger free part of the stage, right of the legend
   * or above it. Camera states are in sigma's normalised coordinates, so the state stays right while a
   * layout moves the nodes about.
   */
  private homeCamera(): CameraState {
    const s = this.sigma!;
    const legend = this.fitObstacles();
    if (!legend || this.graph.order === 0) return HOME;
    const { width: w, height: h } = s.getDimensions();
    const c = s.getContainer().getBoundingClientRect();
    const r = legend.getBoundingClientRect();
    const l = { x1: r.left - c.left, y1: r.top - c.top, x2: r.right - c.left, y2: r.bottom - c.top };
    // The chart's box on screen at sigma's fit, node discs included.
    const at = { cameraState: HOME };
    let bx1 = Infinity;
    let by1 = Infinity;
    let bx2 = -Infinity;
    let by2 = -Infinity;
    let covered = false;
    const sizeAt = s.scaleSize(1, 1);
    this.graph.forEachNode((n) => {
      if (this.hiddenNodes.has(n)) return;
      const d = s.getNodeDisplayData(n);
      if (!d) return;
      const p = s.framedGraphToViewport(d, at);
      const rad = d.size * sizeAt;
      bx1 = Math.min(bx1, p.x - rad);
      by1 = Math.min(by1, p.y - rad);
      bx2 = Math.max(bx2, p.x + rad);
      by2 = Math.max(by2, p.y + rad);
      if (p.x + rad > l.x1 && p.x - rad < l.x2 && p.y + rad > l.y1 && p.y - rad < l.y2) covered = true;
    });
    if (!covered || !(bx2 > bx1) || !(by2 > by1)) return HOME;
    const gap = 12;
    const regions = [
      { x1: l.x2 + gap, y1: gap, x2: w - gap, y2: h - gap },
      { x1: gap, y1: gap, x2: w - gap, y2: l.y1 - gap },
    ];
    let best = { k: 0, cx: w / 2, cy: h / 2 };
    for (const g of regions) {
      const k = Math.min(1, (g.x2 - g.x1) / (bx2 - bx1), (g.y2 - g.y1) / (by2 - by1));
      if (k > best.k) best = { k, cx: (g.x1 + g.x2) / 2, cy: (g.y1 + g.y2) / 2 };
    }
    if (best.k <= 0.2) return HOME; // a stage too small for both: sigma's fit (the legend folds away)
    // The chart's centre (framed coordinates at sigma's fit) drawn at the region's centre, scaled by k.
    const centre = s.viewportToFramedGraph({ x: (bx1 + bx2) / 2, y: (by1 + by2) / 2 }, at);
    const ratio = 1 / best.k;
    const shift = s.viewportToFramedGraph(
      { x: best.cx, y: best.cy },
      { cameraState: { x: 0, y: 0, ratio, angle: 0 } },
    );
    return { x: centre.x - shift.x, y: centre.y - shift.y, ratio, angle: 0 };
  }

  /** The legend over the chart, which fit() keeps the chart clear of. */
  fitObstacles: () => HTMLElement | null = () => null;

  /**
   * Keeps what was just added in sight: if any of `ids` lies outside the visible area (say, the camera
   * was zoomed in on the one entity being expanded), the camera fits the chart; otherwise it stays put.
   */
  reveal(ids: string[]): void {
    const s = this.sigma;
    if (!s || ids.length === 0) return;
    s.refresh(); // frames the new nodes, so their place on screen can be read
    const { width, height } = s.getDimensions();
    const offScreen = ids.some((id) => {
      const d = s.getNodeDisplayData(id);
      if (!d) return false;
      const p = s.framedGraphToViewport(d);
      return p.x < 0 || p.y < 0 || p.x > width || p.y > height;
    });
    if (offScreen) this.fit();
  }

  focus(id: string): void {
    if (!this.sigma || !this.graph.hasNode(id)) return;
    const d = this.sigma.getNodeDisplayData(id);
    if (!d) return;
    void this.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: 0.35 }, { duration: 400 });
  }

  /** The selected node ids, in selection order (for the tests and the console). */
  selectedIds(): string[] {
    return appStore.get().selection.nodes;
  }

  /** The legend of what the chart shows now (colour, size, links), for the chart and every export. */
  legend(): LegendModel {
    const a = appStore.get().appearance;
    return legendModel(
      this.graph,
      {
        colourBy: a.colourBy,
        communities: a.communities,
        sizeBy: a.sizeBy,
        sizeLabel: a.sizeBy ? (METRICS.find((m) => m.id === a.sizeBy)?.label ?? a.sizeBy) : null,
        sizeValues: a.sizeBy ? (a.metrics[a.sizeBy] ?? null) : null,
      },
      (n) => !this.hiddenNodes.has(n),
      (e) => !this.hiddenEdges.has(e),
    );
  }

  isEdgeVisible(id: string): boolean {
    return this.graph.hasEdge(id) && !this.hiddenEdges.has(id);
  }

  visibleNodeIds(): string[] {
    return this.graph.filterNodes((n) => !this.hiddenNodes.has(n));
  }
  isNodeVisible(id: string): boolean {
    return this.graph.hasNode(id) && !this.hiddenNodes.has(id);
  }
}

export const chart = new ChartController();

// Handy in the browser console and for the end-to-end tests, which read the graph's state.
declare global {
  interface Window {
    __linkchart?: ChartController;
  }
}
if (typeof window !== 'undefined') window.__linkchart = chart;
