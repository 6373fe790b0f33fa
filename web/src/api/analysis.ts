// Analysis jobs (server/routes/analysis.ts): start a metric, community, disruption or explanation job, follow
// its progress over server-sent events, fetch the result, cancel. One wrapper, `runJob`, so every panel
// shows the same progress bar and the same cancel button.
import type { ViewFilter } from '@domain/model.ts';
import { request } from './client.ts';

export type JobKind = 'metric' | 'disruption' | 'explain';

export interface JobProgress {
  progress: number;
  message?: string;
}

export interface JobHandle<T> {
  id: string;
  result: Promise<T>;
  cancel(): Promise<void>;
}

interface StartResponse {
  id?: string;
  jobId?: string;
  status?: string;
  result?: unknown;
}

interface JobStatus {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress?: number;
  message?: string;
  error?: string | { message: string };
  result?: unknown;
}

export const ANALYSIS_BASE = '/api/analysis';

/**
 * Starts a job and resolves with its result. Progress arrives over SSE (`/jobs/:id/events`); if the event
 * stream is unavailable, the job's status is polled instead.
 */
export async function runJob<T>(
  kind: JobKind,
  body: Record<string, unknown> & { filter?: ViewFilter },
  onProgress: (p: JobProgress) => void,
): Promise<JobHandle<T>> {
  const start = await request<StartResponse>('POST', `${ANALYSIS_BASE}/${kind}`, body);
  const id = start.id ?? start.jobId;
  if (!id) throw new Error('the server did not return a job id');
  let cancelled = false;
  const result = new Promise<T>((resolve, reject) => {
    let es: EventSource | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    const finish = async (): Promise<void> => {
      es?.close();
      if (poll) clearInterval(poll);
      try {
        const r = await request<JobStatus | T>(
          'GET',
          `${ANALYSIS_BASE}/jobs/${encodeURIComponent(id)}/result`,
        );
        const st = r as JobStatus;
        resolve((st && typeof st === 'object' && 'result' in st && st.status ? st.result : r) as T);
      } catch (e) {
        reject(e);
      }
    };
    const fail = (msg: string): void => {
      es?.close();
      if (poll) clearInterval(poll);
      reject(new Error(msg));
    };
    const onStatus = (st: JobStatus): void => {
      if (st.progress !== undefined) onProgress({ progress: st.progress, message: st.message });
      if (st.status === 'done') void finish();
      else if (st.status === 'failed')
        fail(typeof st.error === 'string' ? st.error : (st.error?.message ?? 'analysis failed'));
      else if (st.status === 'cancelled') fail('cancelled');
    };
    const startPolling = (): void => {
      if (poll) return;
      poll = setInterval(() => {
        if (cancelled) return;
        request<JobStatus>('GET', `${ANALYSIS_BASE}/jobs/${encodeURIComponent(id)}`)
          .then(onStatus)
          .catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
      }, 400);
    };
    if (typeof EventSource !== 'undefined') {
      es = new EventSource(`${ANALYSIS_BASE}/jobs/${encodeURIComponent(id)}/events`, {
        withCredentials: true,
      });
      const handle = (ev: MessageEvent): void => {
        try {
          const data = JSON.parse(ev.data as string) as Partial<JobStatus>;
          onStatus({ id, status: data.status ?? (ev.type as JobStatus['status']), ...data } as JobStatus);
        } catch {
          // A keep-alive or an unparsable line: ignore.
        }
      };
      es.onmessage = handle;
      for (const t of ['progress', 'done', 'failed', 'cancelled', 'status', 'result', 'error'])
        es.addEventListener(t, handle as EventListener);
      es.onerror = () => {
        es?.close();
        es = null;
        startPolling();
      };
    } else startPolling();
  });
  return {
    id,
    result,
    cancel: async () => {
      cancelled = true;
      await request('DELETE', `${ANALYSIS_BASE}/jobs/${encodeURIComponent(id)}`);
    },
  };
}

export const METRICS = [
  { id: 'degree', label: 'Degree' },
  { id: 'weightedDegree', label: 'Weighted degree' },
  { id: 'betweenness', label: 'Betweenness' },
  { id: 'closeness', label: 'Closeness' },
  { id: 'harmonic', label: 'Harmonic closeness' },
  { id: 'eigenvector', label: 'Eigenvector' },
  { id: 'pagerank', label: 'PageRank' },
  { id: 'kcore', label: 'k-core' },
] as const;
