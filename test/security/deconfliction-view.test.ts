// Who sees what of a deconfliction notice (server/security/deconfliction-view.ts): each side, a supervisor
// outside both, and anyone else, for every pairing of open and closed operations, with and without disclosure.
import { describe, expect, it } from 'vitest';
import type { Operation, OperationRole } from '../../server/domain/operations.ts';
import type { Notice } from '../../server/store/deconfliction-store.ts';
import {
  DESK_MESSAGE,
  eventsView,
  noticeView,
  type NoticeFacts,
  type NoticeReader,
} from '../../server/security/deconfliction-view.ts';

const op = (id: string, ref: string, owner: string, sensitivity: 'open' | 'closed'): Operation => ({
  id,
  ref,
  name: `Operation ${ref}`,
  owner,
  sensitivity,
  state: 'active',
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
});
const KESTREL = op('op2', 'KESTREL', 'anna', 'open');
const HALYARD = op('op3', 'HALYARD', 'dsmith', 'closed');
const WREN = op('op4', 'WREN', 'wendy', 'closed');
const OSPREY = op('op5', 'OSPREY', 'olly', 'open');

const notice = (incoming: Operation, held: Operation, disclose = false): Notice => ({
  id: 'dn1',
  entityId: 'e7',
  newOpId: incoming.id,
  heldOpId: held.id,
  state: 'new',
  disclose,
  createdAt: '2024-02-01T00:00:00.000Z',
  updatedAt: '2024-02-01T00:00:00.000Z',
});
const facts = (incoming: Operation, held: Operation, disclose = false): NoticeFacts => ({
  notice: notice(incoming, held, disclose),
  held,
  incoming,
  entity: { id: 'e7', type: 'Phone', label: '07700 900101' },
});
const reader = (name: string, role: string, ms: Array<[Operation, OperationRole]> = []): NoticeReader => ({
  name,
  role,
  memberships: new Map(ms.map(([o, r]) => [o.id, r])),
});

const anna = reader('anna', 'analyst', [[KESTREL, 'owner']]);
const dsmith = reader('dsmith', 'analyst', [[HALYARD, 'owner']]);
const wendy = reader('wendy', 'analyst', [[WREN, 'owner']]);

describe('a closed operation holds what an open one brings in', () => {
  const f = facts(KESTREL, HALYARD);

  it('the closed holder sees the entity and the newcomer by ref and owner', () => {
    const v = noticeView(dsmith, f)!;
    expect(v.yourSide).toBe('held');
    expect(v.entity).toEqual({ id: 'e7', type: 'Phone', label: '07700 900101' });
    expect(v.incoming.operation).toMatchObject({ ref: 'KESTREL', owner: 'anna' });
    expect(v.held).toMatchObject({ yours: true, closed: true });
    expect(v.message).toContain('KESTREL');
    expect(v.message).toContain('anna');
    expect(v).toMatchObject({ canDecide: true, canDisclose: true });
  });

  it('the open newcomer is told only that a closed operation holds it, to contact the desk', () => {
    const v = noticeView(anna, f)!;
    expect(v.yourSide).toBe('incoming');
    expect(v.entity?.label).toBe('07700 900101');
    expect(v.held).toEqual({ operation: null, closed: true, yours: false });
    expect(v.message).toContain('a closed operation already holds');
    expect(v.message).toContain(DESK_MESSAGE);
    expect(JSON.stringify(v)).not.toMatch(/HALYARD|dsmith|op3/);
    expect(v).toMatchObject({ canDecide: true, canDisclose: false });
  });

  it('once the closed owner discloses, the newcomer sees who holds it', () => {
    const v = noticeView(anna, facts(KESTREL, HALYARD, true))!;
    expect(v.held.operation).toMatchObject({ ref: 'HALYARD', owner: 'dsmith' });
    expect(v.message).not.toContain(DESK_MESSAGE);
  });

  it('a supervisor outside both sees the notice force-wide with the same redaction', () => {
    const v = noticeView(reader('sue', 'supervisor'), f)!;
    expect(v.yourSide).toBeNull();
    expect(v.held.operation).toBeNull();
    expect(v.incoming.operation).toMatchObject({ ref: 'KESTREL' });
    expect(v).toMatchObject({ canDecide: true, canDisclose: false });
    expect(JSON.stringify(v)).not.toMatch(/HALYARD|dsmith/);
  });

  it('anyone else, an admin of nothing or a reader of the open operation alone, does not know it exists', () => {
    expect(noticeView(wendy, f)).toBeNull();
    expect(noticeView(reader('vic', 'viewer'), f)).toBeNull();
    expect(noticeView(reader('adam', 'admin'), f)).not.toBeNull();
  });

  it('a viewer member sees the notice but may not work it', () => {
    const v = noticeView(reader('val', 'viewer', [[KESTREL, 'viewer']]), f)!;
    expect(v).toMatchObject({ yourSide: 'incoming', canDecide: false, canDisclose: false });
  });
});

describe('other pairings', () => {
  it('a closed newcomer on an open holder: the holder is told only to contact the desk', () => {
    const f = facts(HALYARD, KESTREL);
    const a = noticeView(anna, f)!;
    expect(a.yourSide).toBe('held');
    expect(a.incoming.operation).toBeNull();
    expect(a.message).toContain(DESK_MESSAGE);
    const d = noticeView(dsmith, f)!;
    expect(d.held.operation).toMatchObject({ ref: 'KESTREL', owner: 'anna' });
    expect(d.canDisclose).toBe(true);
    expect(noticeView(anna, facts(HALYARD, KESTREL, true))!.incoming.operation?.ref).toBe('HALYARD');
  });

  it('two open operations see each other, and there is nothing to disclose', () => {
    const f = facts(OSPREY, KESTREL);
    const v = noticeView(reader('olly', 'analyst', [[OSPREY, 'owner']]), f)!;
    expect(v.held.operation?.ref).toBe('KESTREL');
    expect(noticeView(anna, f)!.incoming.operation?.ref).toBe('OSPREY');
    expect(v.canDisclose).toBe(false);
    expect(noticeView(anna, f)!.canDisclose).toBe(false);
  });

  it('two closed operations: the holder sees the newcomer, the newcomer only the desk until disclosed', () => {
    const f = facts(WREN, HALYARD);
    expect(noticeView(dsmith, f)!.incoming.operation?.ref).toBe('WREN');
    const w = noticeView(wendy, f)!;
    expect(w.held.operation).toBeNull();
    expect(w.canDisclose).toBe(false);
    expect(noticeView(dsmith, f)!.canDisclose).toBe(true);
    expect(noticeView(wendy, facts(WREN, HALYARD, true))!.held.operation?.ref).toBe('HALYARD');
    // A supervisor outside both reads neither operation: not even the subject.
    const s = noticeView(reader('sue', 'supervisor'), f)!;
    expect(s.entity).toBeNull();
    expect([s.held.operation, s.incoming.operation]).toEqual([null, null]);
  });
});

describe('steps', () => {
  it('names who took a step only to a reader who sees both sides, or to that person', () => {
    const steps = [
      { noticeId: 'dn1', actor: 'anna', at: 't1', action: 'created' as const, note: null },
      { noticeId: 'dn1', actor: 'dsmith', at: 't2', action: 'contacted' as const, note: 'Call me on 1234' },
    ];
    const f = facts(KESTREL, HALYARD);
    expect(eventsView(noticeView(anna, f)!, anna, steps)).toEqual([
      { action: 'created', at: 't1', actor: 'anna', note: null },
      { action: 'contacted', at: 't2', actor: null, note: null },
    ]);
    expect(eventsView(noticeView(dsmith, f)!, dsmith, steps).map((s) => s.actor)).toEqual(['anna', 'dsmith']);
  });
});
