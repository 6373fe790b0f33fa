// SecurityStore on Neo4j: users as (:User) nodes, and the append-only audit as (:Audit) nodes chained by hash.
// The chain's head (last seq and hash) lives on its own lock node, (:Meta {k: 'audit'}), taken only by the
// audit's group transactions (server/security/audit-writer.ts): one chain however many servers append to it,
// and no graph write or read waits on it.
import type { AuditEvent, AuditInput, Role, User } from '../../domain/model.ts';
import { bindAuditKey, chainAudit, GENESIS_HASH, type AuditKey } from '../../security/audit-chain.ts';
import { z } from 'zod';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { AuditQuery, SecurityStore } from '../security-store.ts';
import { parsePlainId } from '../shared/ids.ts';
import { USER_KEY } from '../shared/list-key.ts';
import { auditInputSchema, parseOr, userInputSchema } from '../shared/validate.ts';
import type { Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { foldName } from '../../domain/names.ts';
import { auditRow, toAuditEvent, toUser } from './rows.ts';
import { ShortCache } from './short-cache.ts';
import { auditRange } from '../shared/audit-cursor.ts';

const userPatchSchema = userInputSchema
  .pick({ role: true, passwordHash: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });

/**
 * The user a name stands for, ignoring case and Unicode form: the exact name first (so each of two accounts
 * with clashing names from before names were folded stays reachable), then the folded name (nameKey), then
 * any user not yet given its folded name whose name folds alike.
 */
async function userByName(tx: Tx, name: string): Promise<Row | undefined> {
  const key = foldName(name);
  const r = (await tx.one('user-by-name', { name })) ?? (await tx.one('user-by-name-key', { key }));
  if (r) return r.u as Row;
  return (await tx.run('users-without-name-key'))
    .map((x) => x.u as Row)
    .find((u) => foldName(u.name as string) === key);
}

/**
 * Gives every user without a folded name one, oldest first, unless an earlier user holds it already (a
 * clash from before names were folded: both are kept; server/security/users.ts nameClashes lists them).
 */
async function fillNameKeys(tx: Tx): Promise<void> {
  for (const x of await tx.run('users-without-name-key')) {
    const u = x.u as Row;
    const nameKey = foldName(u.name as string);
    if (!(await tx.one('user-by-name-key', { key: nameKey })))
      await tx.run('user-save', { row: { ...u, nameKey } });
  }
}

/**
 * The query that counts an audit list: the count store when nothing filters it, else along the index of its
 * narrowest filter (the object's, the actor's, the action's, the time span's); only a supervisor's operations
 * alone are counted over every record.
 */
function auditCount(p: {
  actor: unknown;
  action: unknown;
  since: unknown;
  until: unknown;
  objectId: unknown;
  ops: unknown;
}): string {
  if (p.objectId !== null) return 'audit-count-object';
  if (p.actor !== null) return 'audit-count-actor';
  if (p.action !== null) return 'audit-count-action';
  if (p.since !== null || p.until !== null) return 'audit-count-time';
  if (p.objectId !== null || p.ops !== null) return 'audit-count-filtered';
  return 'audit-count';
}

export class Neo4jSecurityStore implements SecurityStore {
  /** Users by id: every request re-reads its user (a disabled account or changed role): kept briefly. */
  private readonly users = new ShortCache<User | null>();

  /** `auditKey`: the key the audit chain is keyed with (server/security/audit-key.ts); none: unkeyed. */
  constructor(
    private readonly c: Neo4jContext,
    private readonly auditKey: AuditKey | null = null,
  ) {
    bindAuditKey(this, auditKey);
    c.onReplaced(() => this.users.clear());
  }

  async createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User> {
    const u = parseOr(userInputSchema, user, []);
    return this.users.changing(() => this.createUserTx(u));
  }

  private createUserTx(u: { name: string; role: Role; passwordHash: string }): Promise<User> {
    return this.c.write(
      async (tx, st) => {
        // Writes of users queue on the 'users' lock, so this check and the create cannot interleave with
        // another's; the user_name_key constraint holds it in the database as well.
        await fillNameKeys(tx);
        const same = await userByName(tx, u.name);
        if (same) {
          throw new StoreError(
            'conflict',
            `a user named ${JSON.stringify(same.name)} already exists (names are compared ignoring case and Unicode form)`,
            ['name'],
          );
        }
        const n = await st.next('user');
        const row = {
          id: String(n),
          n,
          name: u.name,
          nameKey: foldName(u.name),
          role: u.role,
          passwordHash: u.passwordHash,
          disabled: false,
          createdAt: new Date().toISOString(),
        };
        await tx.run('user-save', { row });
        return toUser(row);
      },
      { lock: 'users' },
    );
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<User> {
    const p = parseOr(userPatchSchema, patch, []);
    return this.users.changing(() => this.updateUserTx(id, p));
  }

  private updateUserTx(id: string, p: z.infer<typeof userPatchSchema>): Promise<User> {
    return this.c.write(async (tx) => {
      const r = parsePlainId(id) === null ? undefined : await tx.one('user-by-id', { id });
      if (!r) throw new StoreError('not_found', `user ${JSON.stringify(id)} does not exist`, ['id']);
      const old = r.u as Row;
      const row = {
        ...old,
        role: p.role ?? old.role,
        passwordHash: p.passwordHash ?? old.passwordHash,
        disabled: p.disabled ?? old.disabled,
      };
      await tx.run('user-save', { row });
      return toUser(row);
    });
  }

  async getUserByName(name: string): Promise<User | null> {
    return this.c.read(async (tx) => {
      const r = await userByName(tx, name);
      return r ? toUser(r) : null;
    });
  }

  async getUser(id: string): Promise<User | null> {
    const u = await this.users.get(id, () => this.c.byPlainId('user-by-id', id, 'u', toUser));
    return u ? { ...u } : null;
  }

  async listUsers(opts: ListOptions = {}): Promise<Page<User>> {
    return this.c.keyedPage('users', opts, USER_KEY, {}, 'u', toUser);
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return (await this.appendAuditBatch([input]))[0];
  }

  /** The chain's head after the last group this server appended (null: not known, read it under the lock). */
  private head: { seq: number; hash: string } | null = null;

  /** `inputs` chained onto the record `seq` with hash `prev`, stamped `at`. */
  private chain(inputs: AuditInput[], seq: number, prev: string, at: string): AuditEvent[] {
    return inputs.map((a) => {
      const { event } = chainAudit(a, ++seq, at, prev, this.auditKey);
      prev = event.hash;
      return event;
    });
  }

  async appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]> {
    // Every record is checked before any is written, so a bad one leaves the batch unwritten.
    const valid = inputs.map((input, i) => parseOr(auditInputSchema, input, inputs.length > 1 ? [i] : []));
    if (valid.length === 0) return [];
    // Usually this server wrote the chain's last record: the group is chained onto it here and appended in
    // one round trip (audit-append-after.cypher), which refuses it if another server appended in between.
    const known = this.head;
    if (known) {
      this.head = null;
      const events = this.chain(valid, known.seq, known.hash, new Date().toISOString());
      const last = events[events.length - 1];
      await this.c.ensureReady();
      const [r] = await this.c.exec.query('WRITE', 'audit-append-after', {
        prevSeq: known.seq,
        prevHash: known.hash,
        rows: events.map(auditRow),
        seq: last.seq,
        hash: last.hash,
      });
      if (r?.ok === true) {
        this.head = { seq: last.seq, hash: last.hash };
        return events;
      }
    }
    // The only lock is the chain head's, held by this group's transaction alone (no named lock).
    const events = await this.c.write(
      async (tx) => {
        const head = (await tx.one('audit-head-lock', { genesis: GENESIS_HASH }))!;
        const events = this.chain(valid, head.seq as number, head.hash as string, new Date().toISOString());
        const last = events[events.length - 1];
        await tx.run('audit-append', { rows: events.map(auditRow), seq: last.seq, hash: last.hash });
        return events;
      },
      { lock: null },
    );
    const last = events[events.length - 1];
    this.head = { seq: last.seq, hash: last.hash };
    return events;
  }

  async listAudit(q: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const params = {
      actor: q.actor ?? null,
      action: q.action ?? null,
      objectId: q.objectId ?? null,
      since: q.since ?? null,
      until: q.until ?? null,
      ops: q.supervised ? [...q.supervised.operations] : null,
      within: q.supervised ? [...q.supervised.within] : null,
    };
    const { offset, limit } = this.c.page(q);
    const { after, before, newestFirst } = auditRange(q);
    return this.c.read(async (tx) => {
      // Records naming an object are read along its index (audit-list-object); the rest along the sequence.
      // One record past the page says whether there is more.
      const list = `${params.objectId !== null ? 'audit-list-object' : 'audit-list'}${newestFirst ? '-desc' : ''}`;
      const rows = await tx.run(list, { ...params, after, before, offset, limit: limit + 1 });
      const items = rows.slice(0, limit).map((r) => toAuditEvent(r.a as Row));
      const total = (await tx.one(auditCount(params), params))!.c as number;
      const next = rows.length > limit ? String(items[items.length - 1].seq) : null;
      return { items, total, offset, limit, next };
    });
  }
}
