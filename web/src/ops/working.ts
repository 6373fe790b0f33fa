// The verbs of working by operation: open the app in one at sign-in, switch to another, list again after
// a membership change, and keep the deconfliction badge's count. The pure rules are in state/operation.ts.
import { messageOf, setWorkingOperation } from '../api/client.ts';
import { leaveChart } from '../charts.ts';
import { appStore, INITIAL_STATE, type AppState } from '../state/app.ts';
import {
  askForOperation,
  chooseOperation,
  openAtStart,
  operationHeader,
  relist,
  rememberOperation,
  rememberedOperation,
  type KeyValueStore,
  type OperationState,
} from '../state/operation.ts';
import { opsApi } from './api.ts';

function storage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Sets the operation state, and the header every request carries from now on. */
function apply(next: OperationState, extra: (s: AppState) => AppState = (s) => s): void {
  setWorkingOperation(operationHeader(next));
  const user = appStore.get().user;
  if (user && next.current) rememberOperation(storage(), user.name, next.current.id);
  appStore.set((s) => extra({ ...s, operation: next }));
}

/** At sign-in: lists the readable operations and opens the remembered one, or shows the picker. */
export async function startOperations(): Promise<void> {
  const user = appStore.get().user;
  if (!user) return;
  try {
    const readable = await opsApi.list();
    apply(openAtStart(readable, rememberedOperation(storage(), user.name)));
  } catch (e) {
    setWorkingOperation(null);
    appStore.set((s) => ({
      ...s,
      operation: { readable: [], current: null, picking: true, reason: null },
      error: `The operations could not be listed (${messageOf(e)})`,
    }));
  }
}

/**
 * Works in operation `id`: the chart of the operation left is kept as its draft and taken off the screen,
 * with its selection, filters, analysis and dialogs; the operation's own draft then comes back (App).
 */
export async function switchOperation(id: string): Promise<void> {
  const s = appStore.get();
  if (s.operation.current?.id === id) {
    appStore.set((st) => ({ ...st, operation: { ...st.operation, picking: false, reason: null } }));
    return;
  }
  const next = chooseOperation(s.operation, id);
  if (next === s.operation) return;
  if (s.operation.current) await leaveChart();
  apply(next, (st) => ({
    ...INITIAL_STATE,
    user: st.user,
    operation: st.operation,
    notice: `Working in operation ${next.current!.ref}`,
  }));
  void refreshNotices();
}

/** After opening operation `id`: lists the operations again (it is among them now) and works in it. */
export async function workInNewOperation(id: string): Promise<void> {
  await relistOperations();
  await switchOperation(id);
}

export function showPicker(): void {
  appStore.set((s) => ({ ...s, operation: askForOperation(s.operation) }));
}

let relisting: Promise<void> | null = null;

/** The operations again (after a membership change): leaves the current one if it is no longer readable. */
export function relistOperations(): Promise<void> {
  // One at a time: leaving an operation may itself meet its 404 (the draft kept on the way out).
  relisting ??= relistNow().finally(() => (relisting = null));
  return relisting;
}

async function relistNow(): Promise<void> {
  try {
    const readable = await opsApi.list();
    const before = appStore.get().operation.current;
    const next = relist(appStore.get().operation, readable);
    if (before && !next.current) {
      await leaveChart();
      apply(next, (st) => ({ ...INITIAL_STATE, user: st.user, operation: st.operation }));
    } else apply(next);
  } catch (e) {
    appStore.set((s) => ({ ...s, error: messageOf(e) }));
  }
}

/** How many notices of the working operation wait (state new), for the top bar's badge. */
export async function refreshNotices(): Promise<void> {
  const { operation, user } = appStore.get();
  const op = operation.current;
  if (!op) return;
  // An operation's notices go to its members and supervisors: asking for another's would be refused.
  const mayAsk = op.myRole !== null || user?.role === 'supervisor' || user?.role === 'admin';
  if (!mayAsk) {
    appStore.set((s) => (s.newNotices === null ? s : { ...s, newNotices: null }));
    return;
  }
  try {
    const { total } = await opsApi.notices(op.id, 'new', 1);
    if (appStore.get().operation.current?.id !== op.id) return; // switched meanwhile
    appStore.set((s) => (s.newNotices === total ? s : { ...s, newNotices: total }));
  } catch {
    // The badge stays as it was; the Deconfliction screen says what went wrong when opened.
  }
}
