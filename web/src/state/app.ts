// The application state (everything but the graph) and its pure producers.
import { DEFAULT_APPEARANCE, type AppearanceState } from './appearance.ts';
import { DEFAULT_FILTERS, type FilterState } from './filters.ts';
import { EMPTY_HISTORY, type HistoryState } from './history.ts';
import { EMPTY_SELECTION, type SelectionState } from './selection.ts';
import { NO_OPERATION, type OperationState } from './operation.ts';
import { createStore } from './store.ts';
import type { RankingRun } from '../analysis/ranking.ts';

export type RightTab = 'details' | 'annotations' | 'rankings' | 'communities' | 'disruption' | 'explain';

export interface JobState {
  id: string | null;
  label: string;
  progress: number;
  message: string;
}

export interface DisruptionStep {
  removed: string | null;
  lccShare: number;
  components: number;
}

/** The account menu's screens: my password, and the supervisors' and admins' users, audit and retention. */
export type AccountScreen = 'password' | 'users' | 'audit' | 'retention';

export interface AppState {
  filters: FilterState;
  selection: SelectionState;
  appearance: AppearanceState;
  history: HistoryState;
  rightTab: RightTab;
  /** Running analysis or long action, if any. */
  job: JobState | null;
  /** Messages shown in the page. */
  error: string | null;
  notice: string | null;
  /** Bumped whenever nodes or links are added or removed, for components that list them. */
  graphVersion: number;
  chart: { id: string | null; name: string };
  disruption: { steps: DisruptionStep[]; fragments: Record<string, number> | null; removed: string[] } | null;
  mapMode: boolean;
  lasso: boolean;
  /** Hidden by the analyst (not filtered). */
  hidden: string[];
  user: { name: string; role: string } | null;
  /** The operation the app works in (every request carries it), and the readable ones. */
  operation: OperationState;
  /** Deconfliction notices not yet acted on, for the top bar's badge (null: not known). */
  newNotices: number | null;
  dialog:
    | null
    | { kind: 'entity'; editId?: string }
    | { kind: 'link' }
    | { kind: 'charts' }
    | { kind: 'export' }
    | { kind: 'import' }
    | { kind: 'login' }
    | { kind: 'cycle' }
    | { kind: 'duplicates' }
    | { kind: 'deconfliction' }
    | { kind: 'members' }
    | { kind: 'new-operation' }
    | { kind: 'account'; screen: AccountScreen };
  lastMerge: { id: string; keptId: string; mergedId: string } | null;
  /** The ranking every score on screen comes from (Ranks, sizing, Explain, disruption, exports). */
  ranking: RankingRun | null;
}

export const INITIAL_STATE: AppState = {
  filters: DEFAULT_FILTERS,
  selection: EMPTY_SELECTION,
  appearance: DEFAULT_APPEARANCE,
  history: EMPTY_HISTORY,
  rightTab: 'details',
  job: null,
  error: null,
  notice: null,
  graphVersion: 0,
  chart: { id: null, name: 'Untitled chart' },
  disruption: null,
  mapMode: false,
  lasso: false,
  hidden: [],
  user: null,
  operation: NO_OPERATION,
  newNotices: null,
  dialog: null,
  lastMerge: null,
  ranking: null,
};

export const appStore = createStore<AppState>(INITIAL_STATE);

export function showError(s: AppState, e: unknown): AppState {
  return { ...s, error: e instanceof Error ? e.message : String(e), job: null };
}
export function showNotice(s: AppState, msg: string | null): AppState {
  return { ...s, notice: msg };
}
export function bumpGraph(s: AppState): AppState {
  return { ...s, graphVersion: s.graphVersion + 1 };
}
