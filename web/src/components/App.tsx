// The workbench: top bar, filters on the left, the chart in the middle, panels on the right.
import { useEffect, useRef, useState } from 'react';
import { ApiError, login, onOperationGone, onUnauthorised, whoami } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { expand, fail, loadView, redo, removeSelected, undo } from '../actions.ts';
import { hasUnsavedChanges, restoreAtStart, watchDraft } from '../charts.ts';
import { ChartView } from './ChartView.tsx';
import { Dialogs } from './Dialogs.tsx';
import { LeftPanel } from './LeftPanel.tsx';
import { RightPanel } from './RightPanel.tsx';
import { TopBar } from './TopBar.tsx';
import { CycleWorkspace } from '../cycle/CycleWorkspace.tsx';
import { TimelineDock } from '../timeline/TimelineDock.tsx';
import { OperationBar } from '../ops/OperationBar.tsx';
import { OperationPicker } from '../ops/OperationPicker.tsx';
import { relistOperations, startOperations } from '../ops/working.ts';

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
  );
}

export function App() {
  const searchRef = useRef<HTMLInputElement>(null);
  const user = useApp((s) => s.user);
  const cycleOpen = useApp((s) => s.dialog?.kind === 'cycle');
  const selected = useApp((s) => (s.selection.nodes.length === 1 ? s.selection.nodes[0] : null));
  const opId = useApp((s) => s.operation.current?.id ?? null);
  const [needLogin, setNeedLogin] = useState(false);

  useEffect(() => {
    whoami()
      .then((u) => {
        if (u) appStore.set((s) => ({ ...s, user: u }));
      })
      .catch(() => undefined);
    return onUnauthorised(() => setNeedLogin(true));
  }, []);

  // Once signed in: the operations open to the user are listed, and the app opens in the one last used
  // (or shows the picker). Nothing is read before: every request goes out in the working operation.
  const userName = user?.name ?? null;
  useEffect(() => {
    if (userName) void startOperations();
  }, [userName]);
  // Removed from the operation meanwhile (or it was closed to them): list again, which brings the picker.
  useEffect(() => onOperationGone(() => void relistOperations()), []);

  // In an operation: the chart the address names, or the user's draft in it, comes back; from then on
  // each edit is kept as the draft (one per user and operation). ?load=view then opens the whole view
  // (bookmarkable; the render benchmark uses it). Switching operation runs this again for the other one.
  const signedIn = user !== null;
  useEffect(() => {
    if (!signedIn || !opId) return;
    const stop = watchDraft();
    void restoreAtStart().then(() => {
      if (new URLSearchParams(location.search).get('load') === 'view') void loadView();
    });
    return stop;
  }, [signedIn, opId]);

  // Leaving (reload, close, another address) with changes not saved as a chart asks first.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent): void => {
      if (!hasUnsavedChanges()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (appStore.get().dialog) return; // dialogs and the cycle workspace own the keyboard
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === 'z' || e.key === 'Z') && !e.shiftKey && !isTyping(e)) {
        e.preventDefault();
        void undo();
      } else if (mod && (e.key === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey)) && !isTyping(e)) {
        e.preventDefault();
        void redo();
      } else if (isTyping(e) || mod || e.altKey) {
        return;
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'e') {
        void expand(appStore.get().selection.nodes);
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        removeSelected();
      } else if (e.key === 'f') {
        chart.fit();
      } else if (e.key === 'l') {
        appStore.set((s) => ({ ...s, lasso: !s.lasso }));
      } else if (e.key === 'Escape') {
        appStore.set((s) => ({ ...s, lasso: false, selection: { nodes: [], edge: null } }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <OperationBar />
      {/* Keyed by the operation: search results, panels and the Cycle pages of the one left go with it. */}
      <TopBar key={`top-${opId}`} searchRef={searchRef} />
      <LeftPanel key={`left-${opId}`} />
      <div className="centre">
        <ChartView />
        <TimelineDock key={`time-${opId}`} />
      </div>
      <RightPanel key={`right-${opId}`} />
      <Dialogs />
      {user && <OperationPicker />}
      {cycleOpen && opId && (
        <CycleWorkspace
          key={`cycle-${opId}`}
          user={user}
          selectedEntityId={selected}
          onClose={() => appStore.set((s) => ({ ...s, dialog: null }))}
        />
      )}
      {needLogin && !user && <LoginDialog onDone={() => setNeedLogin(false)} />}
    </div>
  );
}

function LoginDialog(props: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [err, setErr] = useState<string | null>(null);
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        data-testid="login"
        onSubmit={(e) => {
          e.preventDefault();
          login(name, password).then(
            (u) => {
              appStore.set((s) => ({ ...s, user: u, error: null }));
              props.onDone();
            },
            (e: unknown) =>
              setErr(
                e instanceof ApiError && e.status === 401
                  ? 'Wrong name or password'
                  : String((e as Error).message),
              ),
          );
        }}
      >
        <h2>Sign in to Linkchart</h2>
        <div className="form">
          <label>Name</label>
          <input data-testid="login-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
          <label>Password</label>
          <input
            data-testid="login-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {err && <div className="toast error">{err}</div>}
        <div className="buttons">
          <button className="primary" type="submit" data-testid="login-submit">
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}

export { fail };
