// Call data records: caller, callee, start, duration -> Phone entities, every call kept as an event, and
// CALLED links aggregated per (caller, callee): weight = number of calls, total duration, first and last call.
import type { EntityInput, LinkInput } from '../../domain/model.ts';
import { displayPhone, normalisePhone } from '../../domain/normalise.ts';
import { rowWhen } from '../dates.ts';
import { RowProblem } from '../errors.ts';
import { parseMapPairs, proposeMapping, resolveColumns } from '../mapping.ts';
import type { FormatContext, RowFormat } from './types.ts';
import { EventBuffer } from './events-buffer.ts';

interface Agg {
  /** Order of first appearance: the events' link number until finish sorts the links. */
  n: number;
  calls: number;
  duration: number;
  first: string;
  last: string;
}

/** Seconds from "123", "123.5" or "hh:mm:ss" / "mm:ss". */
export function parseDuration(raw: string): number | null {
  const s = raw.trim();
  if (s === '') return 0;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(s);
  if (m) return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return null;
}

export function cdrFormat({ columns, options, reports }: FormatContext): RowFormat {
  const mapping = proposeMapping('cdr', columns, parseMapPairs(options.map));
  const col = resolveColumns('cdr', columns, mapping);
  const whenColumns = { date: mapping.start, clock: mapping.timeOfDay };
  // Carriers repeat the same few thousand numbers millions of times: parse each distinct string once.
  const phoneCache = new Map<string, string | null>();
  // caller -> callee -> aggregate: nested maps avoid building a pair key string for every row.
  const pairs = new Map<string, Map<string, Agg>>();
  const phones = new Set<string>();
  const calls = new EventBuffer('call');
  let pairCount = 0;

  const phone = (cells: string[], field: 'caller' | 'callee'): string => {
    const raw = cells[col[field]] ?? '';
    let e164 = phoneCache.get(raw);
    if (e164 === undefined) {
      // The same number is written many ways (07700 900123, 07700-900123); the library is slow (~150 us a
      // number), so it sees each number once, keyed by its digits.
      const key = /^[\d\s+\-().]*$/.test(raw) ? raw.replace(/[\s\-().]/g, '') : raw;
      e164 = phoneCache.get(key);
      if (e164 === undefined) {
        e164 = normalisePhone(raw);
        if (phoneCache.size < 1_000_000) phoneCache.set(key, e164);
      }
      if (phoneCache.size < 1_000_000) phoneCache.set(raw, e164);
    }
    if (!e164) {
      throw new RowProblem(
        mapping[field],
        raw.trim() === ''
          ? `the ${field} number is empty`
          : `${JSON.stringify(raw)} is not a phone number (UK national 07700 900123 or international +44 7700 900123)`,
      );
    }
    return e164;
  };

  return {
    mapping,
    add(cells) {
      const a = phone(cells, 'caller');
      const b = phone(cells, 'callee');
      const t = rowWhen(
        cells[col.start] ?? '',
        col.timeOfDay === undefined ? undefined : (cells[col.timeOfDay] ?? ''),
        whenColumns,
      );
      let dur = 0;
      if (col.duration !== undefined) {
        const raw = cells[col.duration] ?? '';
        const d = parseDuration(raw);
        if (d === null)
          throw new RowProblem(
            mapping.duration,
            `${JSON.stringify(raw)} is not a duration in seconds or hh:mm:ss`,
          );
        dur = d;
      }
      if (a === b) throw new RowProblem(mapping.callee, `caller and callee are the same number (${a})`);
      phones.add(a);
      phones.add(b);
      let row = pairs.get(a);
      if (!row) pairs.set(a, (row = new Map()));
      let g = row.get(b);
      if (!g) row.set(b, (g = { n: pairCount++, calls: 1, duration: dur, first: t, last: t }));
      else {
        g.calls++;
        g.duration += dur;
        if (t < g.first) g.first = t;
        if (t > g.last) g.last = t;
      }
      // A CDR row is a call made by its caller: outgoing from the link's `from` end.
      calls.add(g.n, Date.parse(t), col.duration === undefined ? null : dur, 'outgoing', null);
    },
    finish() {
      const entities: EntityInput[] = [...phones].sort().map((n) => ({
        type: 'Phone',
        label: displayPhone(n),
        key: n,
        properties: { number: n },
        reports,
      }));
      const links: LinkInput[] = [];
      const position = new Uint32Array(pairCount);
      for (const a of [...pairs.keys()].sort()) {
        const row = pairs.get(a)!;
        for (const b of [...row.keys()].sort()) {
          const g = row.get(b)!;
          position[g.n] = links.length;
          links.push({
            type: 'CALLED',
            from: { type: 'Phone', key: a },
            to: { type: 'Phone', key: b },
            weight: g.calls,
            firstSeen: g.first,
            lastSeen: g.last,
            properties: { calls: g.calls, totalDuration: g.duration },
            reports,
          });
        }
      }
      return { entities, links, events: calls.finish(position) };
    },
  };
}
