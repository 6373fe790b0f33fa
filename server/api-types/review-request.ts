// The request parser the operational review shares between its own route (POST /api/cycle/review) and the
// briefing (POST /api/exports/briefing, as its `review` section): a validated review body to the
// ReviewRequest the cycle service runs. Server-only (the web app imports cycle.ts, not this file).
import type { z } from 'zod';
import { parseWindow } from '../cycle/review.ts';
import type { ReviewRequest, Window } from '../cycle/service.ts';
import type { reviewBodySchema } from './cycle.ts';
import { ApiError } from './errors.ts';

function toWindow(w: string | Window, where: string): Window {
  if (typeof w !== 'string') return w;
  try {
    return parseWindow(w);
  } catch (e) {
    throw new ApiError(400, 'invalid', `${where}: ${(e as Error).message}`, { path: ['body', where] });
  }
}

/** A review request from a validated review body (windows as 'FROM..TO' or { from, to }). */
export function reviewRequestFromBody(b: z.output<typeof reviewBodySchema>, where = 'body'): ReviewRequest {
  const win = (w: string | Window, k: 'before' | 'after'): Window => {
    try {
      return toWindow(w, k);
    } catch (e) {
      if (e instanceof ApiError && where !== 'body')
        throw new ApiError(400, 'invalid', `${where}.${e.message}`, { path: ['body', where, k] });
      throw e;
    }
  };
  return {
    before: win(b.before, 'before'),
    after: win(b.after, 'after'),
    targets: b.targets,
    view: b.view,
    riserTypes: b.riserTypes,
    topRisers: b.topRisers,
    listLimit: b.listLimit,
  };
}
