// What the request thread and the import worker (import-worker.ts, off-thread.ts) say to each other, and
// how an error crosses between them as the same kind of error: an ImportError or ApiError keeps its status,
// code and place in the file, a StoreError its code and path, so the route answers exactly as it did when
// the import ran on the request thread.
import type { ImportReport } from '../api-types/imports.ts';
import type { WriteContext } from '../domain/model.ts';
import { ApiError } from '../api-types/errors.ts';
import { StoreError } from '../store/common.ts';
import { ImportError } from './errors.ts';
import type { ImportLimits } from './pipeline.ts';

export type WireError =
  | { kind: 'import' | 'api'; status: number; code: string; message: string; extra: ApiError['extra'] }
  | { kind: 'store'; code: StoreError['code']; message: string; path: StoreError['path'] }
  | { kind: 'other'; message: string };

/** Request thread to worker. */
export type ToWorker =
  | {
      type: 'start';
      id: number;
      options: Record<string, unknown>;
      ctx: Omit<WriteContext, 'importRun'>;
      limits: ImportLimits;
    }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number; error: WireError };

/** Worker to request thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'ack'; id: number }
  | { type: 'done'; id: number; report: ImportReport }
  | { type: 'error'; id: number; error: WireError };

export function toWire(e: unknown): WireError {
  if (e instanceof ApiError)
    return {
      kind: e instanceof ImportError ? 'import' : 'api',
      status: e.status,
      code: e.code,
      message: e.message,
      extra: e.extra,
    };
  if (e instanceof StoreError) return { kind: 'store', code: e.code, message: e.message, path: e.path };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError): Error {
  switch (w.kind) {
    case 'import':
      return new ImportError(
        w.status,
        w.code,
        w.message,
        w.extra as ConstructorParameters<typeof ImportError>[3],
      );
    case 'api':
      return new ApiError(w.status, w.code, w.message, w.extra);
    case 'store':
      return new StoreError(w.code, w.message, w.path);
    default:
      return new Error(w.message);
  }
}
