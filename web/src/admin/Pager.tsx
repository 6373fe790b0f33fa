// Previous / next over a list the server reads by key (users, the retention queue): each page's `next` is the
// key of the page after it, and going back pops the key of the page before, so no page is read by offset
// (an offset reads every row before it, and the server bounds how far it reaches).
import { useState } from 'react';

/** The keys of the pages before the one shown (empty: the first page), and how to move along them. */
export function useKeyTrail(load: (after: string | undefined, trail: string[]) => void) {
  const [trail, setTrail] = useState<string[]>([]);
  const go = (to: string[]): void => load(to[to.length - 1], to);
  return {
    trail,
    /**
     * Call from the load once its page is in, so the trail moves only with a page shown; false when the page
     * came back empty (its last rows were just disposed of or removed), and the page before it is loaded instead.
     */
    arrived: (to: string[], shown: number): boolean => {
      if (shown === 0 && to.length > 0) {
        go(to.slice(0, -1));
        return false;
      }
      setTrail(to);
      return true;
    },
    reload: () => go(trail),
    first: () => go([]),
    next: (key: string) => go([...trail, key]),
    previous: () => go(trail.slice(0, -1)),
  };
}

export type KeyTrail = ReturnType<typeof useKeyTrail>;

/** Previous, the rows shown ("51–100 of 130") and Next, for a page read by key along `trail`. */
export function Pager(props: {
  trail: KeyTrail;
  page: { items: unknown[]; total: number; next?: string | null };
  pageSize: number;
}) {
  const { trail, page, pageSize } = props;
  const before = trail.trail.length;
  const next = page.next;
  if (before === 0 && !next) return null;
  const start = before * pageSize;
  return (
    <div className="pager">
      <button type="button" disabled={before === 0} onClick={trail.previous}>
        Previous
      </button>
      <span className="muted">
        {start + 1}–{start + page.items.length} of {page.total}
      </span>
      <button type="button" disabled={!next} onClick={() => next && trail.next(next)}>
        Next
      </button>
    </div>
  );
}
