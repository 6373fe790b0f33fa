// A job belongs to its owner. User B cannot read, stream, fetch or cancel user A's job (404, which does not
// confirm it exists); B's identical request gets its own job id sharing the computation, and cancelling B's
// handle leaves A's job running. A supervisor may look (audited). The event stream carries the security
// headers and is audited like every other read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  isFinal,
  sleep,
  startJobsServer,
  type JobStatusLike,
  type JobsServer,
} from './jobs-helpers.ts';
import type { Session } from './harness.ts';

const NODES = 20_000;
const HEAVY = { request: { kind: 'metric', metric: 'betweenness', k: 3000, seed: 42 } };

let js: JobsServer | undefined;
afterAll(async () => {
  await js?.close();
});

async function until(url: string, s: Session, id: string, ok: (x: JobStatusLike) => boolean) {
  const t0 = Date.now();
  for (;;) {
    const r = await call(url, s, 'GET', `/api/analysis/jobs/${id}`);
    const x = r.json as JobStatusLike;
    if (r.status === 200 && ok(x)) return x;
    if (Date.now() - t0 > 120_000) throw new Error(`job ${id}: ${r.status} ${r.text}`);
    await sleep(100);
  }
}

/** The first chunk of the event stream, and the response's headers. */
async function firstEvent(url: string, s: Session, id: string) {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/analysis/jobs/${id}/events`, { headers: s.headers, signal: ac.signal });
  let text = '';
  if (res.status === 200) {
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    text = new TextDecoder().decode(value);
  } else text = await res.text();
  ac.abort();
  return { status: res.status, headers: res.headers, text };
}

describe('analysis jobs belong to their owner', () => {
  let alice: Session;
  let bob: Session;
  let sue: Session;
  beforeAll(async () => {
    js = await startJobsServer(NODES);
    alice = await js.user('jobs-alice', 'analyst');
    bob = await js.user('jobs-bob', 'analyst');
    sue = await js.user('jobs-sue', 'supervisor');
  });

  it("B cannot read, stream or cancel A's job; B's identical request gets its own id; B's cancel leaves A's job", async () => {
    const { url } = js!;

    const a = await call(url, alice, 'POST', '/api/analysis/jobs', HEAVY);
    expect(a.status, a.text).toBe(202);
    const aId = (a.json as JobStatusLike).id;
    await until(url, alice, aId, (s) => s.state === 'running');

    // B, another analyst, gets 404 for every door to A's job.
    const bRead = await call(url, bob, 'GET', `/api/analysis/jobs/${aId}`);
    const bResult = await call(url, bob, 'GET', `/api/analysis/jobs/${aId}/result`);
    const bStream = await firstEvent(url, bob, aId);
    const bCancel = await call(url, bob, 'DELETE', `/api/analysis/jobs/${aId}`);
    const afterB = (await call(url, alice, 'GET', `/api/analysis/jobs/${aId}`)).json as JobStatusLike;
    expect.soft(bRead.status, bRead.text).toBe(404);
    expect.soft(bResult.status, bResult.text).toBe(404);
    expect.soft(bStream.status, bStream.text).toBe(404);
    expect.soft(bCancel.status, bCancel.text).toBe(404);
    expect.soft(afterB.state, "B's DELETE must not touch A's job").not.toBe('cancelled');
    // The 404 says the same as for a job that never existed.
    const none = await call(url, bob, 'GET', '/api/analysis/jobs/00000000-0000-4000-8000-000000000000');
    expect
      .soft((bRead.json as { error?: { message?: string } })?.error?.message?.replace(aId, 'X'))
      .toBe(
        (none.json as { error: { message: string } }).error.message.replace(
          '00000000-0000-4000-8000-000000000000',
          'X',
        ),
      );

    // B's identical request: its own id, never A's, and not A's controls.
    const b = await call(url, bob, 'POST', '/api/analysis/jobs', HEAVY);
    expect(b.status, b.text).toBe(202);
    const bId = (b.json as JobStatusLike).id;
    expect(bId).not.toBe(aId);
    expect(b.text).not.toContain(aId);
    // B cancels B's handle: A's computation carries on and finishes.
    const bDel = await call(url, bob, 'DELETE', `/api/analysis/jobs/${bId}`);
    expect(bDel.status, bDel.text).toBe(200);
    expect((bDel.json as JobStatusLike).state).toBe('cancelled');
    const aNow = (await call(url, alice, 'GET', `/api/analysis/jobs/${aId}`)).json as JobStatusLike;
    expect(aNow.state, "cancelling B's handle must leave A's job running").toBe('running');

    const aDone = await until(url, alice, aId, (s) => isFinal(s.state));
    expect(aDone.state).toBe('done');
    const aRes = await call(url, alice, 'GET', `/api/analysis/jobs/${aId}/result`);
    expect(aRes.status).toBe(200);
    const bAfter = await call(url, bob, 'GET', `/api/analysis/jobs/${bId}`);
    expect((bAfter.json as JobStatusLike).state).toBe('cancelled');
    // Asked again after it finished: B gets a new handle on the shared result, not A's id.
    const b2 = await call(url, bob, 'POST', '/api/analysis/jobs', HEAVY);
    const b2Id = (b2.json as JobStatusLike).id;
    expect(b2Id).not.toBe(aId);
    const b2Done = await until(url, bob, b2Id, (s) => isFinal(s.state));
    expect(b2Done.state).toBe('done');
    const b2Res = await call(url, bob, 'GET', `/api/analysis/jobs/${b2Id}/result`);
    expect((b2Res.json as { result: unknown }).result).toEqual((aRes.json as { result: unknown }).result);
  });

  it('the event stream carries the security headers and is audited; a supervisor may look (audited)', async () => {
    const { url } = js!;
    const c = await call(url, alice, 'POST', '/api/analysis/jobs', {
      request: { kind: 'metric', metric: 'betweenness', k: 2000, seed: 43 },
    });
    expect(c.status, c.text).toBe(202);
    const aId = (c.json as JobStatusLike).id;
    // The event stream: security headers, and an audit record like any other read.
    const stream = await firstEvent(url, alice, aId);
    expect(stream.status).toBe(200);
    expect.soft(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect.soft(stream.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect.soft(stream.headers.get('x-content-type-options')).toBe('nosniff');
    expect.soft(stream.headers.get('x-frame-options')).toBe('DENY');
    expect.soft(stream.headers.get('cache-control')).toMatch(/no-store/);
    expect(stream.text).toMatch(/^event: status\ndata: \{/);

    // A supervisor may look at A's job; the record says whose it was.
    const sRead = await call(url, sue, 'GET', `/api/analysis/jobs/${aId}`);
    expect(sRead.status, sRead.text).toBe(200);

    // Audit: the stream read by A, and the supervisor's read of A's job naming its owner.
    const audit = await call(url, js!.admin, 'GET', `/api/audit?objectId=${aId}&limit=1000`);
    expect(audit.status, audit.text).toBe(200);
    const records = (
      audit.json as {
        items: Array<{ actor: string; route: string | null; details: Record<string, unknown> | null }>;
      }
    ).items;
    expect
      .soft(
        records.some((r) => r.actor === 'jobs-alice' && r.route === 'GET /api/analysis/jobs/:id/events'),
        `no audit record of the event stream: ${JSON.stringify(records.map((r) => [r.actor, r.route]))}`,
      )
      .toBe(true);
    const sueRecord = records.find((r) => r.actor === 'jobs-sue' && r.route === 'GET /api/analysis/jobs/:id');
    expect.soft(sueRecord?.details?.jobOwner).toBe('jobs-alice');
    await call(url, alice, 'DELETE', `/api/analysis/jobs/${aId}`);
  });
});
