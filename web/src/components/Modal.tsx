// The modal frame every dialog uses: a titled box over a backdrop; Escape or a click outside closes it.
// It fits a 1366x768 laptop: the box is at most the window's height, the title stays at the top, the body
// scrolls, and a dialog's closing row of buttons (its last `.buttons` child) stays in view at the bottom.
import { useEffect, type ReactNode } from 'react';
import { appStore } from '../state/hooks.ts';
import './screens.css';

export function closeDialog(): void {
  appStore.set((s) => ({ ...s, dialog: null }));
}

export function Modal(props: {
  title: string;
  children: ReactNode;
  testId?: string;
  /** Closes a dialog that is not the app's current one (the account and admin screens); default: that one. */
  onClose?: () => void;
  /** A wider box for tables (the admin screens). */
  wide?: boolean;
}) {
  const close = props.onClose ?? closeDialog;
  useEffect(() => {
    const k = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', k);
    return () => window.removeEventListener('keydown', k);
  }, [close]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className={`dialog fitted${props.wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        data-testid={props.testId}
      >
        <h2>{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
      </div>
    </div>
  );
}
