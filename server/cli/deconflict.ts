// npm run deconflict -- --operation REF: every subject an operation shares with others, as the deconfliction
// desk reads it. The desk is the system, so it names every operation on the other side, closed ones too
// (marked closed, with their owner), with the notice's state; no fact of either operation is shown beyond the
// subject's index entry (type, label). The reading is audited.
//   npm run deconflict -- --operation KESTREL [--state new|contacted|resolved] [--json]
// Exit 0: listed (possibly none); 2: bad arguments, or no such operation.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { NOTICE_STATES, type NoticeState } from '../domain/deconfliction.ts';
import type { Operation } from '../domain/operations.ts';
import type { Notice } from '../store/deconfliction-store.ts';
import { openStore } from '../store/open-store.ts';
import type { Stores } from '../store/stores.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

export const DECONFLICT_USAGE = `usage: npm run deconflict -- --operation REF [--state new|contacted|resolved] [--json]
  lists every subject the operation shares with another operation, each with the other operation
  (ref, owner, open or closed), which side brought it in, and the deconfliction notice's state`;

interface Out {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface SharedWith {
  notice: string;
  state: NoticeState;
  disclose: boolean;
  /** 'held': the other operation held the subject first; 'incoming': it brought it in after this one. */
  other: 'held' | 'incoming';
  operation: { id: string; ref: string; name: string; owner: string; sensitivity: string };
  since: string;
}

export interface SharedSubject {
  entity: { id: string; type: string; label: string } | null;
  entityId: string;
  sharedWith: SharedWith[];
}

export interface DeconflictReport {
  operation: { id: string; ref: string; name: string; owner: string; sensitivity: string };
  subjects: SharedSubject[];
  notices: number;
}

const PAGE = 500;

/** Every notice of the operation, oldest first, grouped by subject. */
export async function sharedSubjects(
  stores: Stores,
  op: Operation,
  state?: NoticeState,
): Promise<DeconflictReport> {
  const notices: Notice[] = [];
  const pages = pagesByKey((after) =>
    stores.deconfliction.list({ operations: [op.id], limit: PAGE, after, ...(state ? { state } : {}) }),
  );
  for await (const page of pages) notices.push(...page.items);
  const ops = new Map<string, Operation | null>();
  const opOf = async (id: string) => {
    if (!ops.has(id)) ops.set(id, await stores.operations.get(id));
    return ops.get(id)!;
  };
  // The system's read ('all'): the desk may see every operation's index entry of the subject.
  const entities = new Map(
    (await stores.graph.getEntities([...new Set(notices.map((n) => n.entityId))])).map((e) => [e.id, e]),
  );
  const bySubject = new Map<string, SharedSubject>();
  for (const n of notices) {
    const otherId = n.newOpId === op.id ? n.heldOpId : n.newOpId;
    const other = await opOf(otherId);
    const e = entities.get(n.entityId);
    const subject = bySubject.get(n.entityId) ?? {
      entityId: n.entityId,
      entity: e ? { id: e.id, type: e.type, label: e.label } : null,
      sharedWith: [],
    };
    subject.sharedWith.push({
      notice: n.id,
      state: n.state,
      disclose: n.disclose,
      other: n.newOpId === op.id ? 'held' : 'incoming',
      operation: other
        ? {
            id: other.id,
            ref: other.ref,
            name: other.name,
            owner: other.owner,
            sensitivity: other.sensitivity,
          }
        : { id: otherId, ref: '(removed)', name: '', owner: '', sensitivity: 'closed' },
      since: n.createdAt,
    });
    bySubject.set(n.entityId, subject);
  }
  return {
    operation: { id: op.id, ref: op.ref, name: op.name, owner: op.owner, sensitivity: op.sensitivity },
    subjects: [...bySubject.values()],
    notices: notices.length,
  };
}

/** The report in words, one subject a paragraph. */
export function formatReport(r: DeconflictReport): string {
  const o = r.operation;
  const lines = [
    `Operation ${o.ref} (${o.name}, ${o.sensitivity}, owner ${o.owner}): ` +
      (r.subjects.length === 0
        ? 'shares no subject with another operation'
        : `${r.subjects.length} shared subject${r.subjects.length === 1 ? '' : 's'}, ${r.notices} notice${r.notices === 1 ? '' : 's'}`),
  ];
  for (const s of r.subjects) {
    lines.push(
      '',
      s.entity
        ? `${s.entity.type} ${s.entity.label} (${s.entity.id})`
        : `${s.entityId} (no longer in the store)`,
    );
    for (const w of s.sharedWith) {
      const who = `${w.operation.ref} (${w.operation.sensitivity === 'closed' ? 'closed operation' : 'open'}, owner ${w.operation.owner})`;
      const how =
        w.other === 'held' ? `held it first; ${o.ref} brought it in` : `brought it in after ${o.ref}`;
      lines.push(
        `  ${who} ${how} on ${w.since.slice(0, 10)}; notice ${w.notice} ${w.state}${w.disclose ? ', disclosed' : ''}`,
      );
    }
  }
  return lines.join('\n');
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function deconflictCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Out = { out: (s) => console.log(s), err: (s) => console.error(s) },
): Promise<number> {
  let values: { operation?: string; state?: string; json?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        operation: { type: 'string' },
        state: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    io.err(`${(e as Error).message}\n${DECONFLICT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(DECONFLICT_USAGE);
    return 0;
  }
  if (!values.operation?.trim()) {
    io.err(`say which operation: --operation REF\n${DECONFLICT_USAGE}`);
    return 2;
  }
  const state = values.state;
  if (state !== undefined && !(NOTICE_STATES as readonly string[]).includes(state)) {
    io.err(`--state ${JSON.stringify(state)} is not one of ${NOTICE_STATES.join(', ')}`);
    return 2;
  }
  let stores: Stores | null = null;
  try {
    stores = await openStore(env);
    const op = await stores.operations.getByRef(values.operation.trim());
    if (!op) {
      io.err(`no operation with reference ${JSON.stringify(values.operation.trim().toUpperCase())}`);
      return 2;
    }
    const report = await sharedSubjects(stores, op, state as NoticeState | undefined);
    await stores.security.appendAudit({
      actor: `cli:${osUser()}`,
      action: 'deconfliction.read',
      route: 'npm run deconflict',
      objectIds: [op.id, ...report.subjects.flatMap((s) => s.sharedWith.map((w) => w.notice))],
      outcome: 'ok',
      details: { operation: op.ref, ...(state ? { state } : {}), subjects: report.subjects.length },
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } catch (e) {
    io.err(`deconflict: ${(e as Error).message}`);
    return 2;
  } finally {
    await stores?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await deconflictCommand(process.argv.slice(2));
}
