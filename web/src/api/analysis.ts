// Analysis jobs (server/routes/analysis.ts): start a metric, disruption or explanation job over a view of
// the store, follow its progress over server-sent events, fetch the result, cancel. One wrapper, `runJob`,
// so every panel shows the same progress bar and the same cancel button.
import type { ViewFilter } from '@domain/model.ts';
import { request, withOperation } from './client.ts';

export interface JobProgress {
  /** 0 to 1. */
  progress: number;
  message?: string;
}

export interface JobHandle<T> {
  id: string;
  result: Promise<T>;
  cancel(): Promise<void>;
}

interface JobStatus {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  /** 0-100 */
  progress: number;
  phase: string;
  error: string | null;
}

export const ANALYSIS_BASE = '/api/analysis/jobs';

export type JobRequest =
  | { kind: 'metric'; metric: string; k?: number | null; seed?: number }
  | { kind: 'metric'; metric: 'communities'; seed?: number }
  | {
      kind: 'disruption';
      strategy: 'set' | 'block' | 'sequential' | 'greedy';
      metric?: string;
      steps?: number;
      targets?: string[];
    }
  | { kind: 'explain'; node: string; focus?: string; resamples?: number }
  | ({ kind: 'lab' } & Record<string, unknown>)
  | ({ kind: 'windows'; from: string; to: string } & Record<string, unknown>);

/**
 * Starts a job and resolves with its result. Progress arrives over SSE (`status` events); if the event
 * stream fails, the job's status is polled instead.
 */
export async function runJob<T>(
  req: JobRequest,
  filter: ViewFilter,
  onProgress: (p: JobProgress) => void,
  projection?: { foldPhones?: boolean },
): Promise<JobHandle<T>> {
  const view = projection
    ? { filter, projection: { foldPhones: projection.foldPhones ?? false, personVia: [] } }
    : { filter };
  return runJobOver<T>(req, { view }, onProgress);
}

/** What a job runs over: the view's options (server/analysis/view.ts) and, for a chart, its entities. */
export interface JobTarget {
  view: {
    filter: ViewFilter;
    projection?: {
      foldPhones: boolean;
      personVia: Array<'Event' | 'Vehicle' | 'Location'>;
      maxSharers?: number;
    };
    grading?: 'ignore' | 'weight';
    directed?: boolean;
  };
  entityIds?: string[];
}

/** `runJob` over a full view (person network, grading) and, optionally, only the given entities. */
export async function runJobOver<T>(
  req: JobRequest,
  target: JobTarget,
  onProgress: (p: JobProgress) => void,
): Promise<JobHandle<T>> {
  const start = await request<JobStatus>('POST', ANALYSIS_BASE, { ...target, request: req });
  const id = start.id;
  if (!id) throw new Error('the server did not return a job id');
  const path = `${ANALYSIS_BASE}/${encodeURIComponent(id)}`;
  let settled = false;
  const result = new Promise<T>((resolve, reject) => {
    let es: EventSource | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    const stop = (): void => {
      settled = true;
      es?.close();
      es = null;
      if (poll) clearInterval(poll);
    };
    const onStatus = (st: JobStatus): void => {
      if (settled) return;
      onProgress({ progress: (st.progress ?? 0) / 100, message: st.phase });
      if (st.state === 'done') {
        stop();
        request<{ result: T }>('GET', `${path}/result`).then((r) => resolve(r.result), reject);
      } else if (st.state === 'failed') {
        stop();
        reject(new Error(st.error ?? 'the analysis failed'));
      } else if (st.state === 'cancelled') {
        stop();
        reject(new Error('cancelled'));
      }
    };
    const startPolling = (): void => {
      if (poll || settled) return;
      poll = setInterval(() => {
        request<JobStatus>('GET', path).then(onStatus, (e: unknown) => {
          stop();
          reject(e instanceof Error ? e : new Error(String(e)));
        });
      }, 500);
    };
    onStatus(start);
    if (settled) return;
    if (typeof EventSource === 'undefined') return startPolling();
    // An event stream cannot carry a header: the operation goes in the address.
    es = new EventSource(withOperation(`${path}/events`), { withCredentials: true });
    es.addEventListener('status', (ev) => {
      try {
        onStatus(JSON.parse((ev as MessageEvent<string>).data) as JobStatus);
      } catch {
        // An unparsable line: the next status or the poll will tell.
      }
    });
    es.onerror = () => {
      es?.close();
      es = null;
      startPolling();
    };
  });
  return {
    id,
    result,
    cancel: async () => {
      if (settled) return;
      await request('DELETE', path);
    },
  };
}

/** Measures offered in the panels. Ids are the server's metric names (every measure is the server's). */
export const METRICS = [
  { id: 'degree', label: 'Degree' },
  { id: 'weightedDegree', label: 'Weighted degree' },
  { id: 'betweenness', label: 'Betweenness' },
  { id: 'closeness', label: 'Closeness' },
  { id: 'harmonic', label: 'Harmonic closeness' },
  { id: 'eigenvector', label: 'Eigenvector' },
  { id: 'pagerank', label: 'PageRank' },
  { id: 'coreNumber', label: 'k-core' },
] as const;
