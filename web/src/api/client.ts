// The one place the web app talks HTTP. Every request carries the session cookie (credentials) and, for
// writes, the CSRF token, read from the cookie the server sets or from the login response. Errors come
// back as ApiError with the server's message, so panels can show what was wrong.
import type {
  Annotation,
  AnnotationInput,
  Chart,
  EntityDetail,
  EntityType,
  LinkDetail,
  PathResult,
  Subgraph,
  ViewFilter,
} from '@domain/model.ts';
import { UNREACHABLE, userMessage } from './messages.ts';

/** Header and cookie names for the CSRF double-submit token (see server/security). */
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIES = ['__Host-linkchart-csrf', 'linkchart_csrf'];

let csrfToken: string | null = null;

/** The header naming the operation every request works in (server/routes/context.ts reads it). */
export const OPERATION_HEADER = 'x-linkchart-operation';

/** The operation the app works in (web/src/state/operation.ts); null before one is chosen. */
let workingOperation: string | null = null;

export function setWorkingOperation(opId: string | null): void {
  workingOperation = opId;
}

export function getWorkingOperation(): string | null {
  return workingOperation;
}

/**
 * A plain address (a download link, an event stream) with the working operation as `operation=`, for the
 * requests that cannot carry a header.
 */
export function withOperation(path: string): string {
  if (!workingOperation) return path;
  return `${path}${path.includes('?') ? '&' : '?'}operation=${encodeURIComponent(workingOperation)}`;
}

export function setCsrfToken(t: string | null): void {
  csrfToken = t;
}

function csrfFromCookie(): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (CSRF_COOKIES.includes(k)) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * A failed request. `message` is for the person at the screen (see messages.ts); `field` names the request
 * field it concerns, so a form can show it beside that field; `body` is the server's reply as sent.
 */
export class ApiError extends Error {
  readonly field: string | null;
  readonly code: string | null;
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
    where: { field?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.field = where.field ?? null;
    this.code = where.code ?? null;
  }
}

/** The message to show for anything a request or an action threw. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Listeners told when the server says the session is gone (401), so the app can show the login form. */
const unauthorisedListeners = new Set<() => void>();
export function onUnauthorised(fn: () => void): () => void {
  unauthorisedListeners.add(fn);
  return () => unauthorisedListeners.delete(fn);
}

/** Listeners told when the server says the working operation is not (or no longer) open to the user. */
const operationGoneListeners = new Set<() => void>();
export function onOperationGone(fn: () => void): () => void {
  operationGoneListeners.add(fn);
  return () => operationGoneListeners.delete(fn);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { raw?: boolean; signal?: AbortSignal; file?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (workingOperation) headers[OPERATION_HEADER] = workingOperation;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // A file goes as the request body itself (the import routes stream it), not wrapped in JSON.
  if (opts.file) headers['content-type'] = 'text/csv';
  if (method !== 'GET' && method !== 'HEAD') {
    const t = csrfFromCookie() ?? csrfToken;
    if (t) headers[CSRF_HEADER] = t;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'include',
      body: opts.file ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, UNREACHABLE);
  }
  if (!res.ok) {
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch {
      // Not JSON (a proxy's page): the message says only that the server refused.
    }
    if (res.status === 401) for (const fn of unauthorisedListeners) fn();
    const m = userMessage(res.status, parsed);
    if (m.code === 'operation_not_found') for (const fn of operationGoneListeners) fn();
    throw new ApiError(res.status, m.text, parsed, m);
  }
  if (opts.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  const ct = res.headers.get('content-type') ?? '';
  return (ct.includes('json') ? await res.json() : await res.text()) as T;
}

// ---------------------------------------------------------------------------------------------
// Session

export interface Whoami {
  name: string;
  role: string;
}

export async function login(name: string, password: string): Promise<Whoami> {
  const r = await request<Whoami & { csrfToken?: string; user?: Whoami }>('POST', '/api/auth/login', {
    name,
    password,
  });
  if (r.csrfToken) setCsrfToken(r.csrfToken);
  return r.user ?? r;
}

export async function whoami(): Promise<Whoami | null> {
  try {
    const r = await request<Whoami & { user?: Whoami; csrfToken?: string }>('GET', '/api/auth/whoami');
    if (r.csrfToken) setCsrfToken(r.csrfToken);
    return r.user ?? r;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
    throw e;
  }
}

/**
 * Ends the session on the server, forgets the CSRF token and tells the app (as a 401 would) so it shows
 * the sign-in form. The old session cookie is refused by the server from then on.
 */
export async function logout(): Promise<void> {
  await request<{ ok: true }>('POST', '/api/auth/logout', {});
  setCsrfToken(null);
  for (const fn of unauthorisedListeners) fn();
}

/** Changes my password; the server ends my other sessions and starts this one afresh. */
export async function changePassword(current: string, next: string): Promise<void> {
  const r = await request<{ csrfToken?: string }>('POST', '/api/auth/password', { current, next });
  if (r.csrfToken) setCsrfToken(r.csrfToken);
}

// ---------------------------------------------------------------------------------------------
// Graph reads

export interface SearchHitDto {
  entity: {
    id: string;
    type: EntityType;
    label: string;
    key: string;
    properties: Record<string, string | number | boolean | null>;
  };
  score: number;
  /** 'similar': the name only sounds or is spelt like what was typed. */
  match: 'exact' | 'similar';
}

export type { Health, HealthResponse } from '@api/health.ts';
import type { HealthResponse } from '@api/health.ts';

export interface MergeRecord {
  id: string;
  keptId: string;
  mergedId: string;
}

/** A POST whose answer is a file to download, not JSON. */
async function postForFile(path: string, body: unknown): Promise<Blob> {
  return (await request<Response>('POST', path, body, { raw: true })).blob();
}

export const api = {
  health: () => request<HealthResponse>('GET', '/api/health'),
  search: async (q: string, limit = 10): Promise<SearchHitDto[]> => {
    const r = await request<{ items: SearchHitDto[] }>(
      'GET',
      `/api/search?q=${encodeURIComponent(q)}&limit=${limit}`,
    );
    return r.items;
  },
  entity: (id: string) => request<EntityDetail>('GET', `/api/entities/${encodeURIComponent(id)}`),
  link: (id: string) => request<LinkDetail>('GET', `/api/links/${encodeURIComponent(id)}`),
  neighbourhood: (body: {
    seeds: string[];
    hops: number;
    filter?: ViewFilter;
    entityTypes?: EntityType[];
    limit?: number;
  }) => request<Subgraph>('POST', '/api/neighbourhood', body),
  view: (filter: ViewFilter, limit?: number) => request<Subgraph>('POST', '/api/view', { filter, limit }),
  paths: (from: string, to: string, maxHops = 6) =>
    request<{ paths: PathResult[]; subgraph: Subgraph }>('POST', '/api/paths', {
      from,
      to,
      maxHops,
      limit: 10,
    }),

  // Writes
  writeBatch: (batch: unknown) =>
    request<{ entityIds: string[]; linkIds: string[]; reportIds: string[] }>('POST', '/api/batch', batch),
  updateEntity: (id: string, patch: unknown) =>
    request<EntityDetail>('PATCH', `/api/entities/${encodeURIComponent(id)}`, patch),
  deleteEntity: (id: string) => request<void>('DELETE', `/api/entities/${encodeURIComponent(id)}`),
  deleteLink: (id: string) => request<void>('DELETE', `/api/links/${encodeURIComponent(id)}`),
  merge: (keepId: string, dropId: string) => request<MergeRecord>('POST', '/api/merges', { keepId, dropId }),
  unmerge: (mergeId: string) => request<void>('POST', `/api/merges/${encodeURIComponent(mergeId)}/undo`, {}),
  loadDemo: () => request<unknown>('POST', '/api/demo', {}),

  // Annotations
  annotations: (kind: string, id: string) =>
    request<{ items: Annotation[] }>(
      'GET',
      `/api/annotations?kind=${encodeURIComponent(kind)}&targetId=${encodeURIComponent(id)}`,
    ).then((r) => r.items),
  createAnnotation: (a: AnnotationInput) => request<Annotation>('POST', '/api/annotations', a),
  updateAnnotation: (id: string, a: Partial<AnnotationInput>) =>
    request<Annotation>('PATCH', `/api/annotations/${encodeURIComponent(id)}`, a),
  deleteAnnotation: (id: string) => request<void>('DELETE', `/api/annotations/${encodeURIComponent(id)}`),

  // Charts
  charts: () => request<{ items: Chart[] }>('GET', '/api/charts?limit=200').then((r) => r.items),
  chart: (id: string) => request<Chart>('GET', `/api/charts/${encodeURIComponent(id)}`),
  saveChart: (name: string, state: Record<string, unknown>, id?: string) =>
    id
      ? request<Chart>('PUT', `/api/charts/${encodeURIComponent(id)}`, { name, state })
      : request<Chart>('POST', '/api/charts', { name, state }),

  // Export
  /** A data file: GraphML, GEXF, CSV, JSON or i2 ANX. */
  exportFile: (body: unknown): Promise<Blob> => postForFile('/api/exports', body),
  briefingPdf: (body: unknown): Promise<Blob> => postForFile('/api/exports/briefing', body),
};
