// The modal frame every dialog uses: a titled box over a backdrop; Escape or a click outside closes it.
import { useEffect, type ReactNode } from 'react';
import { appStore } from '../state/hooks.ts';

export function closeDialog(): void {
  appStore.set((s) => ({ ...s, dialog: null }));
}

export function Modal(props: { title: string; children: ReactNode; testId?: string }) {
  useEffect(() => {
    const k = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') closeDialog();
    };
    window.addEventListener('keydown', k);
    return () => window.removeEventListener('keydown', k);
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeDialog()}>
      <div className="dialog" role="dialog" aria-label={props.title} data-testid={props.testId}>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
