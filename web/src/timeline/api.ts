// The timeline's requests: theme lines, call patterns, contacts around a moment, the time bar's histogram,
// and a link's calls page by page.
import type {
  AroundRequest,
  AroundResponse,
  HistogramResponse,
  PatternResponse,
  TimelineEvent,
  TimelineResponse,
} from '@api/event-patterns.ts';
import type { Report } from '@domain/model.ts';
import { request } from '../api/client.ts';

export const timelineApi = {
  lines: (body: { entityIds: string[]; from?: string; to?: string; limit?: number }) =>
    request<TimelineResponse>('POST', '/api/events/timeline', body),
  pattern: (body: { entityId: string; otherId?: string; timeZone?: string }) =>
    request<PatternResponse>('POST', '/api/events/patterns', body),
  around: (body: Omit<AroundRequest, 'limit'> & { limit?: number }) =>
    request<AroundResponse>('POST', '/api/events/around', body),
  histogram: (body: { entityIds?: string[]; from?: string; to?: string; maxBuckets?: number }) =>
    request<HistogramResponse>('POST', '/api/events/histogram', body),
  linkEvents: (linkId: string, cursor: string | null, limit: number) =>
    request<{ events: TimelineEvent[]; next: string | null }>(
      'GET',
      `/api/links/${encodeURIComponent(linkId)}/events?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  report: (id: string) => request<Report>('GET', `/api/reports/${encodeURIComponent(id)}`),
};

/** "1 h 05 min", "4 min 12 s", "38 s". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** "2024-03-04 21:40" in UTC, the way call records are written. */
export function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}
