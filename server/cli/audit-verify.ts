// npm run audit:verify: walks the audit hash chain from the first record and names the first record that
// was altered, removed, re-ordered or re-chained. The chain is keyed (server/security/audit-chain.ts): the
// key comes from LINKCHART_AUDIT_KEY, LINKCHART_AUDIT_KEY_FILE or the key file beside the SQLite database,
// as for npm start; without it a keyed chain cannot be verified, and the tool says so.
// It also checks that each large export's id list, kept beside its record (LINKCHART_AUDIT_EXPORTS_DIR,
// default beside the database), is there and matches the digest the chain covers.
//   npm run audit:verify              check the trail
//   npm run audit:verify -- --seal    a trail written before the key was set: check it, then append the
//                                     keyed record that seals it (npm start does this by itself when it
//                                     creates the key file; with a key you set, you decide)
// Exit 0: the chain holds; 1: it is broken; 2: it could not be read or verified (no key for a keyed chain).
import { pathToFileURL } from 'node:url';
import type { Stores } from '../store/stores.ts';
import { openStore } from '../store/open-store.ts';
import { auditKeyOf, isKeyedHash } from '../security/audit-chain.ts';
import { defaultAuditKeyFile, sealTrail } from '../security/audit-key.ts';
import { verifyStoreAudit } from '../security/audit-verify.ts';
import { loadConfig } from '../config.ts';

export { verifyStoreAudit, type VerifyResult } from '../security/audit-verify.ts';

export const AUDIT_VERIFY_USAGE = `usage: npm run audit:verify [-- --seal]
  checks the audit hash chain from the first record and names the first record altered, removed,
  re-ordered or re-chained; the key comes from LINKCHART_AUDIT_KEY, LINKCHART_AUDIT_KEY_FILE or the key
  file beside the SQLite database (LINKCHART_DB)
  --seal   a trail written before the key was set: check it, then append the keyed record that seals it
exit 0: the chain holds; 1: it is broken; 2: it could not be read or verified (no key for a keyed chain)`;

interface Out {
  out: (s: string) => void;
  err: (s: string) => void;
}

function whereKeyIs(env: NodeJS.ProcessEnv, stores: Stores): string {
  if (stores.kind === 'neo4j') return 'set LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE';
  const db = env.LINKCHART_DB?.trim() || 'data/linkchart.db';
  return (
    'set LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE, or put the key file back beside the database ' +
    `(${defaultAuditKeyFile(db)})`
  );
}

export async function verifyCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Out = { out: (s) => console.log(s), err: (s) => console.error(s) },
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(AUDIT_VERIFY_USAGE);
    return 0;
  }
  const seal = args.includes('--seal');
  const unknown = args.filter((a) => a !== '--seal');
  if (unknown.length) {
    io.err(`unknown argument ${unknown[0]}\n${AUDIT_VERIFY_USAGE}`);
    return 2;
  }
  let stores: Stores | null = null;
  try {
    stores = await openStore(env, { mode: 'verify', log: (m) => io.err(`linkchart: ${m}`) });
    const key = auditKeyOf(stores.security);
    if (seal) return await sealCommand(stores, env, io);
    const { auditExportIdsDir } = loadConfig(env);
    const r = await verifyStoreAudit(stores.security, { key, exportIdsDir: auditExportIdsDir });
    if (r.broken?.needsKey) {
      io.err(
        `cannot verify a keyed chain without the audit key: ${r.broken.reason.replace(/:.*/, '')}; ` +
          whereKeyIs(env, stores),
      );
      return 2;
    }
    if (r.broken) {
      io.err(`audit chain BROKEN at record ${r.broken.seq}: ${r.broken.reason}`);
      return 1;
    }
    if (!r.head) {
      io.out('audit chain intact: no records yet');
      return 0;
    }
    const head = `head seq ${r.head.seq} hash ${r.head.hash}`;
    if (key) {
      const before = r.records - r.keyed;
      io.out(
        `audit chain intact: ${r.records} records; ${head}; verified with the audit key (${key.source}, ` +
          `id ${key.id})${before ? `; the first ${before} were written before keying and are sealed by the first keyed one` : ''}`,
      );
    } else {
      io.out(
        `audit chain intact: ${r.records} records; ${head}; not verified with a key: this trail is unkeyed ` +
          '(written before keying), so anyone who could write the database could have rewritten it. ' +
          'Starting Linkchart keys it.',
      );
    }
    return 0;
  } catch (e) {
    io.err(`cannot read the audit trail: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    await stores?.close();
  }
}

async function sealCommand(stores: Stores, env: NodeJS.ProcessEnv, io: Out): Promise<number> {
  const key = auditKeyOf(stores.security);
  if (!key) {
    io.err(`cannot seal without the audit key: ${whereKeyIs(env, stores)}`);
    return 2;
  }
  const plain = await verifyStoreAudit(stores.security, { key: null });
  if (plain.broken && !plain.broken.needsKey) {
    io.err(`audit chain BROKEN at record ${plain.broken.seq}: ${plain.broken.reason}; not sealing it`);
    return 1;
  }
  if (plain.broken?.needsKey || (plain.head && isKeyedHash(plain.head.hash))) {
    const r = await verifyStoreAudit(stores.security, { key });
    if (r.broken) {
      io.err(`audit chain BROKEN at record ${r.broken.seq}: ${r.broken.reason}`);
      return 1;
    }
    io.out(`the audit trail is keyed already (${r.records} records): nothing to seal`);
    return 0;
  }
  if (!plain.head) {
    io.out('the audit trail is empty: nothing to seal');
    return 0;
  }
  await sealTrail(stores.security, key, plain.records, plain.head.seq, plain.head.hash);
  io.out(
    `sealed: the ${plain.records} unkeyed records (head seq ${plain.head.seq} hash ${plain.head.hash}) are ` +
      `covered by record ${plain.head.seq + 1}, keyed with the audit key (${key.source}, id ${key.id})`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  verifyCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
