// A CALLED link's calls, one page at a time (time, who called, duration, cell), under its details.
import { useEffect, useState } from 'react';
import type { TimelineEvent } from '@api/event-patterns.ts';
import { chart } from '../graph/controller.ts';
import { duration, timelineApi, when } from './api.ts';

const PAGE = 20;

function labelOf(id: string): string {
  return chart.graph.hasNode(id) ? String(chart.graph.getNodeAttribute(id, 'label')) : id;
}

export function LinkCalls({ linkId }: { linkId: string }) {
  // The cursors of the pages seen so far: going back pops one, so paging both ways needs no offsets.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<{ events: TimelineEvent[]; next: string | null } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => setCursors([null]), [linkId]);
  useEffect(() => {
    let live = true;
    setErr(null);
    timelineApi.linkEvents(linkId, cursor, PAGE).then(
      (p) => live && setPage(p),
      (e: unknown) => live && setErr((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [linkId, cursor]);
  if (err) return <div className="small muted">The calls could not be listed: {err}</div>;
  if (!page) return <div className="small muted">Loading the calls…</div>;
  const first = (cursors.length - 1) * PAGE;
  return (
    <div data-testid="link-calls">
      <h3 className="small muted">
        Calls {page.events.length ? `${first + 1}–${first + page.events.length}` : '(none recorded)'}
      </h3>
      {page.events.length > 0 && (
        <table className="calls-table small">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Caller</th>
              <th>Length</th>
              <th>Cell</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((e) => (
              <tr key={e.id} data-testid="link-call">
                <td>{when(e.at)}</td>
                <td>
                  {e.direction === null ? '?' : labelOf(e.direction === 'incoming' ? e.toId : e.fromId)}
                </td>
                <td>{duration(e.durationSeconds)}</td>
                <td>{e.place ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        <button
          className="small"
          disabled={cursors.length < 2}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ‹ Earlier page
        </button>
        <button
          className="small"
          data-testid="link-calls-next"
          disabled={!page.next}
          onClick={() => page.next && setCursors([...cursors, page.next])}
        >
          Next page ›
        </button>
      </div>
    </div>
  );
}
