// The marking band above the top bar: the working operation's ref and name (a menu to switch operation,
// see its members, its deconfliction notices), its marking (closed: a red band, members only; open: a
// neutral one, open to the force), and a badge when a deconfliction notice waits. It sits above every
// dialog and screen, so the marking is always in view.
import { useEffect } from 'react';
import { useApp, appStore } from '../state/hooks.ts';
import { markingBand, mayCreateOperation, mayManageMembers } from '../state/operation.ts';
import { Menu, type MenuItem } from '../components/Menu.tsx';
import { refreshNotices, showPicker, switchOperation } from './working.ts';
import './operations.css';

/** How often the badge asks for new notices (an import elsewhere may have made one). */
const NOTICE_POLL_MS = 30_000;

export function OperationBar() {
  const op = useApp((s) => s.operation.current);
  const readable = useApp((s) => s.operation.readable);
  const role = useApp((s) => s.user?.role);
  const fresh = useApp((s) => s.newNotices);
  const opId = op?.id ?? null;
  const title = op ? `${markingBand(op).text} — Linkchart` : 'Linkchart';
  // The window's title carries the marking too (tabs, the task bar, a printed page's header).
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (!opId) return;
    void refreshNotices();
    const t = setInterval(() => void refreshNotices(), NOTICE_POLL_MS);
    return () => clearInterval(t);
  }, [opId]);
  if (!op)
    return (
      <div className="marking-band none" data-testid="marking-band">
        <div className="marking-text">No operation chosen: nothing is shown until you choose one</div>
      </div>
    );
  const band = markingBand(op);
  const items: Array<MenuItem | 'sep'> = (readable ?? []).map((o) => ({
    label: `${o.id === op.id ? '✓ ' : ''}${o.ref} · ${o.name} (${o.sensitivity === 'closed' ? 'closed' : 'open'})`,
    onClick: () => void switchOperation(o.id),
  }));
  items.push('sep', { label: 'All my operations…', onClick: showPicker });
  if (mayCreateOperation(role))
    items.push({
      label: 'New operation…',
      onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'new-operation' } })),
    });
  items.push({
    label: 'Deconfliction notices…',
    onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'deconfliction' } })),
  });
  if (mayManageMembers(op, role))
    items.push({
      label: `Members of ${op.ref}…`,
      onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'members' } })),
    });
  return (
    <div
      className={`marking-band ${band.closed ? 'closed' : 'open'}`}
      data-testid="marking-band"
      data-operation={op.ref}
    >
      <div className="op-menu" data-testid="operation-menu-wrap">
        <Menu
          testId="operation-menu"
          title="The operation you work in: switch, members, deconfliction"
          label={
            <>
              <b data-testid="operation-ref">OP {op.ref}</b>{' '}
              <span data-testid="operation-name">{op.name}</span>
            </>
          }
          items={items}
        />
      </div>
      <div className="marking-text" data-testid="marking-text">
        {band.text}
      </div>
      <div className="op-side">
        {fresh !== null && fresh > 0 && (
          <button
            className="notice-badge"
            data-testid="deconfliction-badge"
            title="Another operation holds a subject of this one: see the deconfliction notices"
            onClick={() => appStore.set((s) => ({ ...s, dialog: { kind: 'deconfliction' } }))}
          >
            Deconfliction <span className="count">{fresh} new</span>
          </button>
        )}
      </div>
    </div>
  );
}
