// Under the chart: the time bar (activity histogram and brush) always, and on demand the timeline panel:
// theme lines for the selected entities (or the chart's busiest people), the call pattern of one or two of
// them, and "contacts around an event".
import { useMemo, useState } from 'react';
import { chart } from '../graph/controller.ts';
import { useApp } from '../state/hooks.ts';
import { AroundForm } from './AroundForm.tsx';
import { PatternView } from './PatternView.tsx';
import { RiseAndFall } from './RiseAndFall.tsx';
import { ThemeLines } from './ThemeLines.tsx';
import { TimeBar } from './TimeBar.tsx';
import './timeline.css';

type Tab = 'lines' | 'pattern' | 'around' | 'rise';
const TABS: Array<[Tab, string]> = [
  ['lines', 'Theme lines'],
  ['pattern', 'Call pattern'],
  ['around', 'Contacts around an event'],
  ['rise', 'Rise and fall'],
];
/** Lines drawn when nothing is selected: the chart's most connected people. */
const DEFAULT_LINES = 8;
const EVENT_TYPES = new Set(['Person', 'Phone', 'Vehicle', 'Organisation']);

export function timelineSubjects(selected: string[]): string[] {
  const picked = selected.filter(
    (n) => chart.graph.hasNode(n) && EVENT_TYPES.has(String(chart.graph.getNodeAttribute(n, 'etype'))),
  );
  if (picked.length) return picked.slice(0, 30);
  const people: Array<[string, number]> = [];
  chart.graph.forEachNode((n, a) => {
    if (a.etype === 'Person') people.push([n, chart.graph.degree(n)]);
  });
  people.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return people.slice(0, DEFAULT_LINES).map(([n]) => n);
}

export function TimelineDock() {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('lines');
  const selected = useApp((s) => s.selection.nodes);
  const graphVersion = useApp((s) => s.graphVersion);
  const subjects = useMemo(() => {
    void graphVersion;
    return timelineSubjects(selected);
  }, [selected, graphVersion]);
  const explicit = selected.length > 0;
  return (
    <section className={`timeline-dock${open ? ' open' : ''}`} data-testid="timeline-dock">
      <div className="timeline-tabs">
        <button
          className="small"
          data-testid="timeline-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾ Timeline' : '▴ Timeline'}
        </button>
        {open &&
          TABS.map(([id, label]) => (
            <button
              key={id}
              className={`small${tab === id ? ' active' : ''}`}
              data-testid={`timeline-tab-${id}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        {open && tab === 'lines' && subjects.length > 0 && (
          <span className="small muted">
            {explicit ? 'the selected entities' : `the chart's ${subjects.length} most connected people`}
          </span>
        )}
      </div>
      <TimeBar />
      {open && (
        <div className="timeline-body">
          {tab === 'lines' && <ThemeLines entityIds={subjects} height={196} />}
          {tab === 'pattern' && <PatternView entityIds={explicit ? subjects : []} />}
          {tab === 'around' && (
            <AroundForm entityId={explicit && subjects.length === 1 ? subjects[0] : null} />
          )}
          {tab === 'rise' && <RiseAndFall selected={selected} />}
        </div>
      )}
    </section>
  );
}
