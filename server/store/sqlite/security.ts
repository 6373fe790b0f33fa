// SecurityStore on SQLite: users (with the signed-in user's cache) and the append-only, hash-chained audit.
// Neither moves the data version: they change no graph fact.
import { z } from 'zod';
import type { AuditEvent, AuditInput, Role, User } from '../../domain/model.ts';
import { bindAuditKey, chainAudit, GENESIS_HASH, type AuditKey } from '../../security/audit-chain.ts';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { AuditQuery, SecurityStore } from '../security-store.ts';
import { placeholders, type Param, type SqliteConnection } from './connection.ts';
import { fillNameKeys } from './schema.ts';
import { foldName } from '../../domain/names.ts';
import { toAuditEvent, toUser, type AuditRow, type UserRow } from './rows.ts';
import { auditRange } from '../shared/audit-cursor.ts';
import { parsePlainId } from '../shared/ids.ts';
import { USER_KEY } from '../shared/list-key.ts';
import { auditInputSchema, parseOr, userInputSchema } from '../shared/validate.ts';

const userPatchSchema = userInputSchema
  .pick({ role: true, passwordHash: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });

/** Audit columns in INSERT order; AUDIT_ROWS records go in one statement. */
const AUDIT_COLS = 13;
const AUDIT_ROWS = 64;

export class SqliteSecurityStore implements SecurityStore {
  /** getUser's cache: users by row id, valid while data_version stays at usersSeenAt. */
  private readonly knownUsers = new Map<number, User>();
  private usersSeenAt = -1;
  private usersCheckedThisTurn = false;

  /** `auditKey`: the key the audit chain is keyed with (server/security/audit-key.ts); none: unkeyed. */
  constructor(
    private readonly c: SqliteConnection,
    private readonly auditKey: AuditKey | null = null,
  ) {
    bindAuditKey(this, auditKey);
  }

  private userRow(where: 'id = ?' | 'name = ?' | 'name_key = ?', v: Param): User | null {
    const r = this.c.st(`SELECT * FROM users WHERE ${where}`).get(v) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  /**
   * The account a name stands for, ignoring case and Unicode form: the exact name first (so each of two
   * accounts an older file holds with clashing names stays reachable), then the folded name, then any
   * account not yet given its folded name (rows copied in by `npm run transfer`) whose name folds alike.
   */
  private userByName(name: string): User | null {
    const key = foldName(name);
    const found = this.userRow('name = ?', name) ?? this.userRow('name_key = ?', key);
    if (found) return found;
    const unkeyed = this.c.st('SELECT * FROM users WHERE name_key IS NULL ORDER BY id').all() as UserRow[];
    const r = unkeyed.find((u) => foldName(u.name) === key);
    return r ? toUser(r) : null;
  }

  async createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User> {
    const u = parseOr(userInputSchema, user, []);
    this.knownUsers.clear();
    const n = await this.c.writeTx(() => {
      // Unique ignoring case and Unicode form (the users_name_key index holds it in the file too).
      fillNameKeys(this.c.db);
      const same = this.userByName(u.name);
      if (same) {
        throw new StoreError(
          'conflict',
          `a user named ${JSON.stringify(same.name)} already exists (names are compared ignoring case and Unicode form)`,
          ['name'],
        );
      }
      return Number(
        this.c
          .st('INSERT INTO users (name, name_key, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(u.name, foldName(u.name), u.role, u.passwordHash, new Date().toISOString()).lastInsertRowid,
      );
    });
    return this.userRow('id = ?', n)!;
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<User> {
    const p = parseOr(userPatchSchema, patch, []);
    const n = parsePlainId(id);
    this.knownUsers.clear();
    await this.c.writeTx(() => {
      const u = n === null ? null : this.userRow('id = ?', n);
      if (!u) throw new StoreError('not_found', `user ${JSON.stringify(id)} does not exist`, ['id']);
      this.c
        .st('UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE id = ?')
        .run(p.role ?? u.role, p.passwordHash ?? u.passwordHash, (p.disabled ?? u.disabled) ? 1 : 0, n);
    });
    return this.userRow('id = ?', n)!;
  }

  async getUserByName(name: string): Promise<User | null> {
    return this.userByName(name);
  }

  async getUser(id: string): Promise<User | null> {
    const n = parsePlainId(id);
    if (n === null) return null;
    this.forgetUsersIfChanged();
    let u = this.knownUsers.get(n);
    if (!u) {
      const row = this.userRow('id = ?', n);
      if (!row) return null;
      this.knownUsers.set(n, (u = row));
    }
    return { ...u };
  }

  /**
   * The server reads the signed-in user on every request (so a disabled account or a changed role takes
   * effect at once), which made that lookup the costliest statement after the expansion itself: not the
   * row, but opening a read transaction, a few locking system calls. Users found are kept until anything
   * changes them: a write through this store clears the cache, and so does a commit by any other
   * connection (a CLI disabling an account), which data_version reports. That is asked once per turn of
   * the event loop, so another process's change is seen within one turn (milliseconds).
   */
  private forgetUsersIfChanged(): void {
    if (this.usersCheckedThisTurn) return;
    this.usersCheckedThisTurn = true;
    setImmediate(() => (this.usersCheckedThisTurn = false));
    const v = this.c.st('PRAGMA data_version').pluck().get() as number;
    if (v !== this.usersSeenAt) {
      this.knownUsers.clear();
      this.usersSeenAt = v;
    }
  }

  async listUsers(opts: ListOptions = {}): Promise<Page<User>> {
    return this.c.keyedPageOf(opts, USER_KEY, { cols: '*', from: 'users', keyCol: 'id' }, toUser);
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return (await this.appendAuditBatch([input]))[0];
  }

  async appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]> {
    // Every record is checked before any is written, so a bad one leaves the batch unwritten.
    const valid = inputs.map((input, i) => parseOr(auditInputSchema, input, inputs.length > 1 ? [i] : []));
    if (valid.length === 0) return [];
    // The chain's tip is read inside the transaction every time (a B-tree descent, a few microseconds;
    // caching it measured no faster and would go stale when a CLI or a transfer load appends through
    // another path). IMMEDIATE takes the write lock before that read, so a CLI appending from another
    // process waits for the lock instead of failing to upgrade a stale read snapshot.
    return this.c.writeImmediate(() => {
      const last = this.c.st('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const at = new Date().toISOString();
      const rows: Param[] = [];
      const events = valid.map((a) => {
        const { event, detailsJson } = chainAudit(a, ++seq, at, prevHash, this.auditKey);
        rows.push(
          event.seq,
          event.at,
          event.actor,
          event.action,
          event.route,
          JSON.stringify(event.objectIds),
          event.outcome,
          event.justification,
          event.recipient,
          detailsJson,
          event.prevHash,
          event.hash,
          event.operations ? JSON.stringify(event.operations) : null,
        );
        prevHash = event.hash;
        return event;
      });
      this.insertAudit(rows, events.length);
      return events;
    });
  }

  /** Up to AUDIT_ROWS rows per INSERT: one statement step per group instead of one per record. */
  private insertAudit(rows: Param[], count: number): void {
    for (let i = 0; i < count; i += AUDIT_ROWS) {
      const n = Math.min(AUDIT_ROWS, count - i);
      this.c
        .st(
          `INSERT INTO audit (seq, at, actor, action, route, object_ids, outcome, justification, recipient, details, prev_hash, hash, op_ids)
           VALUES ${Array<string>(n)
             .fill(`(${placeholders(AUDIT_COLS)})`)
             .join(', ')}`,
        )
        .run(...rows.slice(i * AUDIT_COLS, (i + n) * AUDIT_COLS));
    }
  }

  async listAudit(q: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const at = this.c.page(q);
    const conds: string[] = [];
    const params: Param[] = [];
    const add = (sql: string, v: Param | undefined) => {
      if (v === undefined) return;
      conds.push(sql);
      params.push(v);
    };
    add('actor = ?', q.actor);
    add('action = ?', q.action);
    // Along audit_object (schema.ts, migration 17): only the records naming the object are read.
    add('seq IN (SELECT seq FROM audit_object WHERE object_id = ?)', q.objectId);
    add('at >= ?', q.since);
    add('at <= ?', q.until);
    if (q.supervised) {
      conds.push(
        `(op_ids IS NULL OR (EXISTS (SELECT 1 FROM json_each(op_ids) WHERE value IN (SELECT value FROM json_each(?)))
          AND NOT EXISTS (SELECT 1 FROM json_each(op_ids) WHERE value NOT IN (SELECT value FROM json_each(?)))))`,
      );
      params.push(JSON.stringify(q.supervised.operations), JSON.stringify(q.supervised.within));
    }
    const where = conds.length ? conds.join(' AND ') : '1';
    // The page reads from its key along the same index, one record past the page (whether there is more);
    // the total counts the filter as a whole.
    const r = auditRange(q);
    const rows = this.c
      .st(
        `SELECT * FROM audit WHERE ${where} AND seq > ? AND seq < ? ORDER BY seq ${r.newestFirst ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
      )
      .all(...params, r.after, r.before, at.limit + 1, at.offset) as AuditRow[];
    // The whole audit's total from its ends: the chain numbers its records one after another and triggers keep
    // the table append-only (no record deleted or renumbered), so that is the count, read in two index steps
    // where COUNT(*) read every record on every page (audit:verify pages through all of it).
    const total = (
      conds.length
        ? this.c
            .st(`SELECT COUNT(*) FROM audit WHERE ${where}`)
            .pluck()
            .get(...params)
        : this.c.st('SELECT COALESCE(MAX(seq) - MIN(seq) + 1, 0) FROM audit').pluck().get()
    ) as number;
    const more = rows.length > at.limit;
    const items = rows.slice(0, at.limit).map(toAuditEvent);
    return { items, total, ...at, next: more ? String(items[items.length - 1].seq) : null };
  }
}
