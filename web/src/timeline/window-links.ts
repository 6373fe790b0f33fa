// A time window on the chart (the time bar's brush or the left panel's sliders) re-derives its CALLED and
// SIGHTED_AT links from the calls and reads inside the window, as the server's window views do: each link is
// shown with the count, first and last of its calls in the window, and a link none of whose calls falls in
// it goes. Links with no calls kept keep the span rule (their first-to-last dates overlap the window).
// The server's view over the window does the counting (one request, bounded by the view cap); while it is
// on its way, or when the window holds more than the cap, the chart keeps the span rule.
import { useEffect, useState } from 'react';
import type { Link } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { windowKey, type TimeWindow } from '../state/filters.ts';
import { applyWindow, EVENT_LINKS, restore } from './window-apply.ts';

/** The chart's hidden links are worked out again (the filter object is new; its values are the same). */
function refilter(): void {
  appStore.set((s) => ({ ...s, filters: { ...s.filters } }));
}

/**
 * Keeps the chart's links in step with the time window. Returns a note for the analyst when the window's
 * links could not be counted (the chart then filters by first and last dates).
 */
export function useWindowLinks(): string | null {
  const time = useApp((s) => s.filters.time);
  const graphVersion = useApp((s) => s.graphVersion);
  const [view, setView] = useState<{ key: string; links: Map<string, Link> } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const key = time ? windowKey(time) : null;

  useEffect(() => {
    if (!time || !key) {
      setView(null);
      setNote(null);
      if (restore(chart.graph)) refilter();
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      const w: TimeWindow = time;
      api
        .view({
          from: new Date(w.from).toISOString(),
          to: new Date(w.to).toISOString(),
          linkTypes: [...EVENT_LINKS],
        })
        .then(
          (sub) => {
            if (!live) return;
            setNote(null);
            setView({ key, links: new Map(sub.links.map((l) => [l.id, l])) });
          },
          (e: unknown) => {
            if (!live) return;
            setView(null);
            setNote(
              `Calls in this window could not be counted on the chart (${(e as Error).message}); links are kept by their first and last dates.`,
            );
          },
        );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // The view is of the whole store: a new window asks again, a changed chart only re-applies it.
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!view || view.key !== key) return;
    if (applyWindow(chart.graph, view.key, view.links)) refilter();
  }, [view, key, graphVersion]);

  return note;
}
