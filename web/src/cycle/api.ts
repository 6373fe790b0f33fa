// The cycle's HTTP calls (server/routes/cycle.ts), through the app's one HTTP client.
import type { Subgraph, ViewFilter } from '@domain/model.ts';
import type { Target, TargetActionInput, TargetStatus } from '@domain/target.ts';
import type { PrioritiesBody, ReviewBody, TargetProposeBody } from '@api/cycle.ts';
import type { PriorityRow } from '../../../server/cycle/priority-matrix.ts';
import type { ReviewResult } from '../../../server/cycle/review.ts';
import { request } from '../api/client.ts';

export type { PriorityRow, ReviewResult, Target, TargetStatus };

export interface PrioritiesResponse {
  dataVersion: number;
  asOf: string | null;
  people: number;
  counts: Record<string, number>;
  rows: PriorityRow[];
  options: { harmPercentile: number; centralPercentile: number };
  recency: { mode: string; halfLifeDays?: number };
}

const enc = encodeURIComponent;

export const cycleApi = {
  priorities: (body: PrioritiesBody) => request<PrioritiesResponse>('POST', '/api/cycle/priorities', body),
  review: (body: ReviewBody) => request<ReviewResult>('POST', '/api/cycle/review', body),
  /**
   * A window to draw. `limit` accepts a truncated picture (the server cuts it at its interactive cap): a
   * window of a large store is otherwise refused, though the review's numbers cover all of it.
   */
  window: (filter: ViewFilter, limit: number) => request<Subgraph>('POST', '/api/view', { filter, limit }),
  targets: (status?: TargetStatus) =>
    request<{ items: Target[]; total: number }>(
      'GET',
      `/api/targets?limit=200${status ? `&status=${status}` : ''}`,
    ),
  target: (id: string) => request<Target>('GET', `/api/targets/${enc(id)}`),
  propose: (body: TargetProposeBody) => request<Target>('POST', '/api/targets', body),
  decide: (id: string, decision: 'approved' | 'rejected', reason: string, version: number) =>
    request<Target>('POST', `/api/targets/${enc(id)}/decision`, { decision, reason, version }),
  action: (id: string, action: TargetActionInput) =>
    request<Target>('POST', `/api/targets/${enc(id)}/actions`, action),
  reviewTarget: (id: string, body: { summary: string; before?: string; after?: string; version: number }) =>
    request<Target>('POST', `/api/targets/${enc(id)}/review`, body),
};
