// The working operation's pure producers (web/src/state/operation.ts) and the deconfliction notice's words
// (web/src/ops/notice-words.ts), without React or a browser; the api client's header on a real HTTP server.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askForOperation,
  cancelPicker,
  chooseOperation,
  markingBand,
  markingLine,
  mayManageMembers,
  mayWriteIn,
  NO_OPERATION,
  openAtStart,
  operationHeader,
  pictureMarking,
  relist,
  rememberKey,
  rememberOperation,
  rememberedOperation,
  type KeyValueStore,
  type OperationSummary,
} from '../../web/src/state/operation.ts';
import { describeEntity, describeSide, otherSides } from '../../web/src/ops/notice-words.ts';
import { noticeView } from '../../server/security/deconfliction-view.ts';
import { request, setWorkingOperation, withOperation } from '../../web/src/api/client.ts';

const op = (id: string, ref: string, over: Partial<OperationSummary> = {}): OperationSummary => ({
  id,
  ref,
  name: `${ref.toLowerCase()} name`,
  owner: 'demo',
  sensitivity: 'open',
  state: 'active',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  myRole: null,
  ...over,
});
const GENERAL = op('op1', 'GENERAL');
const KESTREL = op('op2', 'KESTREL', { name: 'county lines', myRole: 'owner' });
const HALYARD = op('op3', 'HALYARD', {
  name: 'supplier',
  sensitivity: 'closed',
  myRole: 'analyst',
  owner: 'dsmith',
});

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('opening the app in an operation', () => {
  it('opens in the remembered operation while it is readable', () => {
    const s = openAtStart([GENERAL, KESTREL, HALYARD], 'op3');
    expect(s.current?.ref).toBe('HALYARD');
    expect(s.picking).toBe(false);
    expect(operationHeader(s)).toBe('op3');
  });

  it('shows the picker, saying why, when the remembered operation is no longer readable', () => {
    const s = openAtStart([GENERAL, KESTREL], 'op3');
    expect(s.current).toBeNull();
    expect(s.picking).toBe(true);
    expect(s.reason).toMatch(/no longer open to you/);
    expect(operationHeader(s)).toBeNull();
  });

  it('with nothing remembered, opens in the user’s one operation, or GENERAL for a member of none, else asks', () => {
    expect(openAtStart([GENERAL, KESTREL], null).current?.ref).toBe('KESTREL');
    const two = openAtStart([GENERAL, KESTREL, HALYARD], null);
    expect(two.picking).toBe(true);
    expect(two.reason).toBeNull();
    // A member of none works in the force-wide GENERAL operation; without it, they are asked.
    expect(openAtStart([GENERAL, { ...KESTREL, myRole: null }], null).current?.ref).toBe('GENERAL');
    expect(openAtStart([{ ...KESTREL, myRole: null }], null).picking).toBe(true);
  });

  it('remembers per user, and a refused storage only means asking again', () => {
    const store = memoryStore();
    rememberOperation(store, 'demo', 'op2');
    rememberOperation(store, 'dsmith', 'op3');
    expect(rememberedOperation(store, 'demo')).toBe('op2');
    expect(rememberedOperation(store, 'dsmith')).toBe('op3');
    expect(store.map.get(rememberKey('demo'))).toBe('op2');
    rememberOperation(store, 'demo', null);
    expect(rememberedOperation(store, 'demo')).toBeNull();
    const refusing: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    expect(rememberedOperation(refusing, 'demo')).toBeNull();
    expect(() => rememberOperation(refusing, 'demo', 'op2')).not.toThrow();
    expect(rememberedOperation(null, 'demo')).toBeNull();
  });
});

describe('switching and listing again', () => {
  it('chooses only a readable operation; the picker can be cancelled back to the current one', () => {
    const s = openAtStart([GENERAL, KESTREL, HALYARD], 'op2');
    expect(chooseOperation(s, 'op9')).toBe(s);
    const h = chooseOperation(askForOperation(s), 'op3');
    expect(h.current?.ref).toBe('HALYARD');
    expect(h.picking).toBe(false);
    const asked = askForOperation(h);
    expect(asked.picking).toBe(true);
    expect(cancelPicker(asked).picking).toBe(false);
    expect(cancelPicker(asked).current?.ref).toBe('HALYARD');
    // With no current operation there is nothing to go back to.
    const none = { ...NO_OPERATION, readable: [GENERAL], picking: true };
    expect(cancelPicker(none)).toBe(none);
  });

  it('leaves an operation the user was removed from, and refreshes a changed role', () => {
    const s = openAtStart([GENERAL, KESTREL, HALYARD], 'op3');
    const gone = relist(s, [GENERAL, KESTREL]);
    expect(gone.current).toBeNull();
    expect(gone.picking).toBe(true);
    expect(gone.reason).toMatch(/HALYARD is no longer open to you/);
    const demoted = relist(s, [GENERAL, KESTREL, { ...HALYARD, myRole: 'viewer' }]);
    expect(demoted.current?.myRole).toBe('viewer');
    expect(demoted.picking).toBe(false);
  });
});

describe('the marking', () => {
  it('a closed operation gets the red band for members only, an open one the neutral band', () => {
    expect(markingBand(HALYARD)).toEqual({ text: 'CLOSED · OP HALYARD · members only', closed: true });
    expect(markingBand(KESTREL)).toEqual({ text: 'OP KESTREL · open to the force', closed: false });
  });

  it('pictures carry the protective marking and the operation in the design’s form', () => {
    expect(markingLine(HALYARD)).toBe('OP HALYARD · supplier · CLOSED');
    expect(pictureMarking('OFFICIAL-SENSITIVE', KESTREL)).toBe(
      'OFFICIAL-SENSITIVE · OP KESTREL · county lines · OPEN',
    );
    expect(pictureMarking('SECRET', null)).toBe('SECRET');
  });
});

describe('who may do what in the operation', () => {
  it('members are managed by its owner and supervisors and by admins', () => {
    expect(mayManageMembers(KESTREL, 'analyst')).toBe(true);
    expect(mayManageMembers(HALYARD, 'supervisor')).toBe(false); // analyst in it: a global role does not count
    expect(mayManageMembers(HALYARD, 'admin')).toBe(true);
    expect(mayManageMembers({ ...HALYARD, myRole: 'supervisor' }, 'analyst')).toBe(true);
    expect(mayManageMembers(null, 'admin')).toBe(false);
  });

  it('writing needs a writing role in it, or an open operation and the analyst role', () => {
    expect(mayWriteIn(HALYARD, 'viewer')).toBe(true);
    expect(mayWriteIn({ ...HALYARD, myRole: 'viewer' }, 'analyst')).toBe(false);
    expect(mayWriteIn({ ...HALYARD, myRole: null }, 'admin')).toBe(false);
    expect(mayWriteIn(GENERAL, 'analyst')).toBe(true);
    expect(mayWriteIn(GENERAL, 'viewer')).toBe(false);
  });
});

describe('a deconfliction notice in words', () => {
  // The notice as the server's own redaction (server/security/deconfliction-view.ts) shows it to each reader.
  const held = { ...HALYARD, createdAt: '', updatedAt: '' };
  const incoming = { ...KESTREL, createdAt: '', updatedAt: '' };
  const notice = (disclose: boolean) => ({
    id: 'dn1',
    entityId: 'e1',
    newOpId: incoming.id,
    heldOpId: held.id,
    state: 'new' as const,
    disclose,
    createdAt: '2026-12-07T03:00:00Z',
    updatedAt: '2026-12-07T03:00:00Z',
  });
  const view = (name: string, role: string, ops: Array<[string, 'owner' | 'analyst']>, disclose = false) =>
    noticeView(
      { name, role, memberships: new Map(ops) },
      {
        notice: notice(disclose),
        held,
        incoming,
        entity: { id: 'e1', type: 'Phone', label: '+447700900123' },
      },
    )!;

  it('the open newcomer is told only that a closed operation holds it, until its owner discloses', () => {
    const demo = view('demo', 'analyst', [['op2', 'owner']]);
    expect(otherSides(demo).map((o) => describeSide(o.role, o.side))).toEqual([
      'A closed operation holds this; contact the deconfliction desk',
    ]);
    expect(describeEntity(demo)).toBe('+447700900123 (Phone)');
    const told = view('demo', 'analyst', [['op2', 'owner']], true);
    expect(otherSides(told).map((o) => describeSide(o.role, o.side))).toEqual([
      'OP HALYARD · supplier (closed, owner dsmith) holds this',
    ]);
  });

  it('the closed holder sees who came in; a supervisor outside both sees both sides as an outsider', () => {
    const owner = view('dsmith', 'analyst', [['op3', 'owner']]);
    expect(otherSides(owner).map((o) => describeSide(o.role, o.side))).toEqual([
      'OP KESTREL · county lines (open, owner demo) has brought this in',
    ]);
    expect(owner.canDisclose).toBe(true);
    const sup = view('sam', 'supervisor', []);
    expect(otherSides(sup).map((o) => describeSide(o.role, o.side))).toEqual([
      'A closed operation holds this; contact the deconfliction desk',
      'OP KESTREL · county lines (open, owner demo) has brought this in',
    ]);
  });
});

describe('the api client sends the working operation', () => {
  const seen: IncomingHttpHeaders[] = [];
  const urls: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    urls.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    setWorkingOperation(null);
    await new Promise((r) => server.close(r));
  });

  it('on every request once an operation is chosen, and on plain links as operation=', async () => {
    setWorkingOperation(null);
    await request('GET', `${base}/api/charts`);
    expect(seen.at(-1)!['x-linkchart-operation']).toBeUndefined();
    setWorkingOperation('op3');
    await request('GET', `${base}/api/charts`);
    expect(seen.at(-1)!['x-linkchart-operation']).toBe('op3');
    await request('POST', `${base}/api/batch`, { entities: [] });
    expect(seen.at(-1)!['x-linkchart-operation']).toBe('op3');
    expect(withOperation('/api/analysis/j1/events')).toBe('/api/analysis/j1/events?operation=op3');
    expect(withOperation('/api/x?a=1')).toBe('/api/x?a=1&operation=op3');
    setWorkingOperation(null);
    expect(withOperation('/api/x')).toBe('/api/x');
  });
});
