// `npm run import` writes an audit record like an import through the API: who (cli:USER or --actor),
// the import id, the outcome and the counts; a failed import is recorded as failed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../server/cli/import.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

describe('import CLI audit', () => {
  let dir: string;
  let stores: SqliteStores;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkchart-cli-audit-'));
    stores = await openSqliteStores(join(dir, 'store.db'));
  });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a successful import with its id and counts, and a failed one as failed', async () => {
    const good = join(dir, 'calls.csv');
    writeFileSync(good, 'source,target\nAnn Smith,Bob Jones\nBob Jones,Cy Twombly\n');
    const ok = await importFile(stores, [good, '--format', 'edgelist']);
    expect(ok.error).toBeUndefined();
    const bad = join(dir, 'empty.csv');
    writeFileSync(bad, 'a;b;c\n');
    const failed = await importFile(stores, [bad, '--format', 'matrix']);
    expect(failed.error).toMatch(/matrix/);

    const items = (await stores.security.listAudit({ action: 'import' })).items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      actor: `cli:${userInfo().username}`,
      route: 'cli import',
      outcome: 'ok',
      objectIds: [ok.report!.importId],
      details: {
        file: 'calls.csv',
        format: 'edgelist',
        entities: ok.report!.entities,
        // `source,target` names the columns: two ties, not a third between "source" and "target".
        links: { created: 2, matched: 0 },
      },
    });
    expect(items[1]).toMatchObject({ outcome: 'failed', objectIds: [], details: { file: 'empty.csv' } });
    expect(verifyAuditChain(items)).toBeNull();
  });

  it('names the actor given with --actor', async () => {
    const good = join(dir, 'calls.csv');
    writeFileSync(good, 'source,target\nAnn Smith,Bob Jones\n');
    await importFile(stores, [good, '--format', 'edgelist', '--actor', 'analyst7']);
    expect((await stores.security.listAudit({ action: 'import' })).items.map((a) => a.actor)).toEqual([
      'analyst7',
    ]);
  });
});
