// A drop-down menu button: the top bar groups related actions so it fits a 1366-pixel screen.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface MenuItem {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  title?: string;
}

export function Menu(props: {
  label: ReactNode;
  items: Array<MenuItem | 'sep'>;
  title?: string;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes it, as every native menu does, and gives focus back to the button.
    const escape = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', escape);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div className="menu-wrap" ref={ref}>
      <button
        title={props.title}
        data-testid={props.testId}
        className={open ? 'on' : ''}
        onClick={() => setOpen(!open)}
      >
        {props.label} ▾
      </button>
      {open && (
        <div className="menu" role="menu">
          {props.items.map((it, i) =>
            it === 'sep' ? (
              <hr key={i} />
            ) : (
              <button
                key={i}
                role="menuitem"
                disabled={it.disabled}
                title={it.title}
                onClick={() => {
                  setOpen(false);
                  it.onClick();
                }}
              >
                {it.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
