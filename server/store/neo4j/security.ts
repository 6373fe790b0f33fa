// SecurityStore on Neo4j: users as (:User) nodes, and the append-only audit as (:Audit) nodes chained by hash;
// the chain's last hash and the counters live on the Meta node, so appends queue on its lock.
import type { AuditEvent, AuditInput, Role, User } from '../../domain/model.ts';
import { chainAudit, GENESIS_HASH } from '../../security/audit-chain.ts';
import { z } from 'zod';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { AuditQuery, SecurityStore } from '../security-store.ts';
import { parsePlainId } from '../shared/ids.ts';
import { auditInputSchema, parseOr, userInputSchema } from '../shared/validate.ts';
import type { Neo4jContext } from './context.ts';
import type { Row } from './executor.ts';
import { auditRow, toAuditEvent, toUser } from './rows.ts';

const userPatchSchema = userInputSchema
  .pick({ role: true, passwordHash: true })
  .partial()
  .extend({ disabled: z.boolean().optional() });

export class Neo4jSecurityStore implements SecurityStore {
  constructor(private readonly c: Neo4jContext) {}

  async createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User> {
    const u = parseOr(userInputSchema, user, []);
    return this.c.write(async (tx, st) => {
      if (await tx.one('user-by-name', { name: u.name })) {
        throw new StoreError('conflict', `a user named ${JSON.stringify(u.name)} already exists`, ['name']);
      }
      const n = st.next('user');
      const row = {
        id: String(n),
        n,
        name: u.name,
        role: u.role,
        passwordHash: u.passwordHash,
        disabled: false,
        createdAt: new Date().toISOString(),
      };
      await tx.run('user-save', { row });
      return toUser(row);
    });
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<User> {
    const p = parseOr(userPatchSchema, patch, []);
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
      const r = await tx.one('user-by-name', { name });
      return r ? toUser(r.u as Row) : null;
    });
  }

  async getUser(id: string): Promise<User | null> {
    return this.c.byPlainId('user-by-id', id, 'u', toUser);
  }

  async listUsers(opts: ListOptions = {}): Promise<Page<User>> {
    return this.c.listPage('users', opts, {}, 'u', toUser);
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return (await this.appendAuditBatch([input]))[0];
  }

  async appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]> {
    // Every record is checked before any is written, so a bad one leaves the batch unwritten.
    const valid = inputs.map((input, i) => parseOr(auditInputSchema, input, inputs.length > 1 ? [i] : []));
    if (valid.length === 0) return [];
    return this.c.write(async (tx, st) => {
      const at = new Date().toISOString();
      const events: AuditEvent[] = [];
      for (const a of valid) {
        const { event } = chainAudit(a, st.next('audit'), at, st.meta.auditHash ?? GENESIS_HASH);
        st.meta.auditHash = event.hash;
        events.push(event);
      }
      await tx.run('audit-append', { rows: events.map(auditRow) });
      return events;
    });
  }

  async listAudit(q: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const params = {
      actor: q.actor ?? null,
      action: q.action ?? null,
      objectId: q.objectId ?? null,
      since: q.since ?? null,
      until: q.until ?? null,
    };
    return this.c.listPage('audit', q, params, 'a', toAuditEvent);
  }
}
