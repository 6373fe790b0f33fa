// `npm run deconflict -- --operation REF` as the desk runs it, in a child process on a real SQLite file: the
// demo's KESTREL shares two phones and a vehicle with the closed HALYARD; the desk reads every one, names
// HALYARD (closed, owner dsmith) from KESTREL's side and KESTREL from HALYARD's, with each notice's state,
// shows no fact beyond the subject's index entry, and the reading is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeconflictReport } from '../../server/cli/deconflict.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { addHalyard, createKestrel } from '../../seed/demo-operations.ts';
import { CLI_TIMEOUT, runCli, runJson, tempDir } from './run-cli.ts';

const t = tempDir('linkchart-cli-deconflict-');
const env = t.db('desk.db');
let noticeIds: string[] = [];

beforeAll(async () => {
  const stores = await openSqliteStores(env.LINKCHART_DB!);
  const kestrel = await createKestrel(stores);
  // A small KESTREL: two phones and a vehicle for HALYARD to share, and one of its own.
  await stores.graph.writeBatch(
    {
      entities: [
        {
          type: 'Phone',
          label: '07700 900201',
          properties: { number: '07700 900201', note: 'KESTREL line' },
        },
        { type: 'Phone', label: '07700 900202', properties: { number: '07700 900202' } },
        { type: 'Vehicle', label: 'LK21 XYZ', properties: { vrm: 'LK21XYZ' } },
        { type: 'Phone', label: '07700 900299', properties: { number: '07700 900299' } },
      ],
    },
    { actor: 'demo', operationId: kestrel.id },
  );
  await addHalyard(stores);
  // One notice worked on, so states differ.
  noticeIds = (await stores.deconfliction.list()).items.map((n) => n.id);
  await stores.deconfliction.decide(noticeIds[0], { state: 'contacted' }, { actor: 'demo' });
  await stores.close();
}, 60_000);
afterAll(() => t.remove());

describe('npm run deconflict', { timeout: CLI_TIMEOUT }, () => {
  it('lists every subject KESTREL shares, naming the closed HALYARD as the desk may', () => {
    const r = runJson<DeconflictReport>('deconflict', ['--operation', 'kestrel'], env);
    expect(r.operation).toMatchObject({ ref: 'KESTREL', sensitivity: 'open', owner: 'demo' });
    expect(r.subjects.map((s) => s.entity?.label).sort()).toEqual([
      '07700 900201',
      '07700 900202',
      'LK21 XYZ',
    ]);
    for (const s of r.subjects) {
      expect(s.sharedWith).toHaveLength(1);
      expect(s.sharedWith[0]).toMatchObject({
        other: 'incoming',
        operation: { ref: 'HALYARD', owner: 'dsmith', sensitivity: 'closed' },
      });
    }
    expect(r.subjects.flatMap((s) => s.sharedWith.map((w) => [w.notice, w.state])).sort()).toEqual(
      [
        [noticeIds[0], 'contacted'],
        [noticeIds[1], 'new'],
        [noticeIds[2], 'new'],
      ].sort(),
    );
    // The subject's index entry only: neither operation's properties or reports.
    expect(JSON.stringify(r)).not.toMatch(/KESTREL line|HAL-2024|Zielinski/);
  });

  it('reads in words from HALYARD’s side, and by state', () => {
    const r = runCli('deconflict', ['--operation', 'HALYARD'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Operation HALYARD (Supplier, closed, owner dsmith): 3 shared subjects, 3 notices',
    );
    expect(r.stdout).toMatch(
      /Phone 07700 900201 \(e\d+\)\n {2}KESTREL \(open, owner demo\) held it first; HALYARD brought it in on \d{4}-\d\d-\d\d; notice dn\d+ (new|contacted)/,
    );
    const waiting = runJson<DeconflictReport>(
      'deconflict',
      ['--operation', 'HALYARD', '--state', 'new'],
      env,
    );
    expect(waiting.notices).toBe(2);
  });

  it('says plainly what is wrong with the arguments', () => {
    const none = runCli('deconflict', ['--operation', 'NOSUCH'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no operation with reference "NOSUCH"');
    const missing = runCli('deconflict', [], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--operation REF');
    const bad = runCli('deconflict', ['--operation', 'KESTREL', '--state', 'done'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--state "done" is not one of new, contacted, resolved');
  });

  it('every reading is in the audit', async () => {
    const stores = await openSqliteStores(env.LINKCHART_DB!);
    try {
      const reads = await stores.security.listAudit({ action: 'deconfliction.read' });
      expect(reads.total).toBe(3);
      expect(reads.items[0].objectIds).toEqual(expect.arrayContaining(noticeIds));
      expect(reads.items[0].route).toBe('npm run deconflict');
    } finally {
      await stores.close();
    }
  });
});
