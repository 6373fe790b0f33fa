// Call pattern of one phone or person (or of a pair when two are selected): calls per hour of day and per
// day of week in UK time, first and last contact, calls each way and their mean length.
import { useEffect, useState } from 'react';
import type { PatternResponse } from '@api/event-patterns.ts';
import { duration, timelineApi, when } from './api.ts';
import { Bars } from './Bars.tsx';

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function PatternView({ entityIds }: { entityIds: string[] }) {
  const [p, setP] = useState<PatternResponse | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [a, b] = entityIds;
  useEffect(() => {
    setP(null);
    setErr(null);
    if (!a || entityIds.length > 2) return;
    let live = true;
    timelineApi.pattern({ entityId: a, ...(b ? { otherId: b } : {}) }).then(
      (r) => live && setP(r),
      (e: unknown) => live && setErr((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [a, b, entityIds.length]);
  if (!a || entityIds.length > 2)
    return (
      <p className="muted small">
        Select one phone or person for their call pattern, or two for the calls between them.
      </p>
    );
  if (err) return <p className="toast error">The call pattern could not be read: {err}</p>;
  if (!p) return <p className="muted small">Loading…</p>;
  const who = p.other ? `${p.subject.label} and ${p.other.label}` : p.subject.label;
  const peak = p.byHour.indexOf(Math.max(...p.byHour));
  return (
    <div className="pattern" data-testid="pattern">
      <div className="pattern-facts">
        <h4 data-testid="pattern-title">
          {p.other ? 'Calls between ' : 'Calls of '}
          {who}
        </h4>
        <dl className="kv small">
          <dt>Calls</dt>
          <dd data-testid="pattern-calls">
            {p.calls} ({p.outgoing} made by {p.subject.label}, {p.incoming} received
            {p.unknownDirection ? `, ${p.unknownDirection} either way` : ''})
          </dd>
          <dt>First contact</dt>
          <dd data-testid="pattern-first">{when(p.first)}</dd>
          <dt>Last contact</dt>
          <dd>{when(p.last)}</dd>
          <dt>Talk time</dt>
          <dd>
            {duration(p.totalSeconds)} in all, {duration(p.meanSeconds)} a call on average
          </dd>
          <dt>{p.other ? 'Phone pairs' : 'Contacts'}</dt>
          <dd>{p.contacts}</dd>
          {p.calls > 0 && (
            <>
              <dt>Busiest hour</dt>
              <dd>
                {HOURS[peak]}:00–{HOURS[(peak + 1) % 24]}:00 ({p.byHour[peak]} calls)
              </dd>
            </>
          )}
        </dl>
        {p.truncated && <div className="small muted">Counted over the first 200,000 calls.</div>}
      </div>
      <div>
        <div className="small muted">
          By hour of day ({p.timeZone === 'Europe/London' ? 'UK time' : p.timeZone})
        </div>
        <Bars values={p.byHour} labels={HOURS} testId="pattern-hours" width={330} />
        <div className="small muted">By day of week</div>
        <Bars values={p.byWeekday} labels={DAYS} testId="pattern-days" width={200} height={60} />
      </div>
    </div>
  );
}
