// The review queue's API calls (server/routes/duplicates.ts).
import type { ProposalDetailOut, ProposalOut, ProposalPageOut, RunResultOut } from '@api/duplicates.ts';
import { request } from '../api/client.ts';

export type QueueState = 'new' | 'deferred' | 'accepted' | 'rejected';

export interface QueueFilter {
  state: QueueState;
  type?: string;
  cursor?: string;
}

const enc = encodeURIComponent;

export const duplicatesApi = {
  list: (f: QueueFilter): Promise<ProposalPageOut> =>
    request(
      'GET',
      `/api/duplicates?state=${f.state}&limit=100${f.type ? `&type=${enc(f.type)}` : ''}${
        f.cursor ? `&cursor=${enc(f.cursor)}` : ''
      }`,
    ),
  get: (id: string): Promise<ProposalDetailOut> => request('GET', `/api/duplicates/${enc(id)}`),
  run: (): Promise<RunResultOut> => request('POST', '/api/duplicates/runs', {}),
  accept: (id: string, keepId?: string): Promise<ProposalOut> =>
    request('POST', `/api/duplicates/${enc(id)}/accept`, keepId ? { keepId } : {}),
  reject: (id: string): Promise<ProposalOut> => request('POST', `/api/duplicates/${enc(id)}/reject`, {}),
  defer: (id: string): Promise<ProposalOut> => request('POST', `/api/duplicates/${enc(id)}/defer`, {}),
  undo: (id: string): Promise<ProposalOut> => request('POST', `/api/duplicates/${enc(id)}/undo`, {}),
  bulkAccept: (
    minWeight: number,
  ): Promise<{ done: ProposalOut[]; skipped: Array<{ id: string; reason: string }> }> =>
    request('POST', '/api/duplicates/bulk', { action: 'accept', minWeight }),
};
