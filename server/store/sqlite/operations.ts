// OperationStore on SQLite: operations and their members (tables of migration 10). Neither moves the data
// version: who may read an operation is no graph fact (the server's caches key on the read scope).
import type { WriteContext } from '../../domain/model.ts';
import {
  DEFAULT_OPERATION_REF,
  memberInputSchema,
  operationInputSchema,
  operationPatchSchema,
  operationRefSchema,
  type Operation,
  type OperationInput,
  type OperationMember,
  type OperationPatch,
  type OperationRole,
  type OperationSensitivity,
  type OperationState,
} from '../../domain/operations.ts';
import { StoreError, type Page } from '../common.ts';
import type { OperationListOptions, OperationStore } from '../operation-store.ts';
import { operationId, parseId } from '../shared/ids.ts';
import { parseOr } from '../shared/validate.ts';
import { checkMemberName, checkMemberRemovable, checkOperationPatch } from '../shared/operation-rules.ts';
import { placeholders, type SqliteConnection } from './connection.ts';

interface OperationRow {
  id: number;
  ref: string;
  name: string;
  owner: string;
  sensitivity: OperationSensitivity;
  state: OperationState;
  created_at: string;
  updated_at: string;
}
interface MemberRow {
  op_id: number;
  user: string;
  role: OperationRole;
  added_by: string;
  added_at: string;
}

const toOperation = (r: OperationRow): Operation => ({
  id: operationId(r.id),
  ref: r.ref,
  name: r.name,
  owner: r.owner,
  sensitivity: r.sensitivity,
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toMember = (r: MemberRow): OperationMember => ({
  operationId: operationId(r.op_id),
  user: r.user,
  role: r.role,
  addedBy: r.added_by,
  addedAt: r.added_at,
});

/** Row id of an operation's public id (op12), or null if it is not one. */
export const parseOperationId = (id: string): number | null => parseId(id, 'op');

/**
 * Row ids of a scope's operations, for SQL; ids that are no operation id are dropped (they name nothing,
 * so they open nothing).
 */
export function operationRowIds(ids: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const n = parseOperationId(id);
    if (n !== null) out.push(n);
  }
  return out;
}

/**
 * The operation a write lands in: ctx.operationId, else GENERAL (1). An id that names no operation is
 * refused: a fact must never land in an operation nobody can read.
 */
export function writeOperation(c: SqliteConnection, ctx: WriteContext): number {
  if (ctx.operationId === undefined) return 1;
  const n = parseOperationId(ctx.operationId);
  const ok = n !== null && c.st('SELECT 1 FROM operations WHERE id = ?').get(n) !== undefined;
  if (!ok) throw new StoreError('not_found', `operation ${ctx.operationId} does not exist`, ['operationId']);
  return n!;
}

export class SqliteOperationStore implements OperationStore {
  constructor(private readonly c: SqliteConnection) {}

  private row(n: number | null): Operation | null {
    if (n === null) return null;
    const r = this.c.st('SELECT * FROM operations WHERE id = ?').get(n) as OperationRow | undefined;
    return r ? toOperation(r) : null;
  }

  private must(opId: string, at: string[] = ['operationId']): number {
    const n = parseOperationId(opId);
    if (n === null || !this.c.st('SELECT 1 FROM operations WHERE id = ?').get(n))
      throw new StoreError('not_found', `operation ${opId} does not exist`, at);
    return n;
  }

  async create(input: OperationInput, ctx: WriteContext): Promise<Operation> {
    const o = parseOr(operationInputSchema, input, []);
    const n = await this.c.writeTx(() => {
      if (this.c.st('SELECT 1 FROM operations WHERE ref = ?').get(o.ref))
        throw new StoreError('conflict', `an operation with reference ${o.ref} already exists`, ['ref']);
      const now = new Date().toISOString();
      const id = Number(
        this.c
          .st(
            `INSERT INTO operations (ref, name, owner, sensitivity, state, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'active', ?, ?)`,
          )
          .run(o.ref, o.name, ctx.actor, o.sensitivity, now, now).lastInsertRowid,
      );
      this.c
        .st(
          `INSERT INTO operation_members (op_id, user, role, added_by, added_at) VALUES (?, ?, 'owner', ?, ?)`,
        )
        .run(id, ctx.actor, ctx.actor, now);
      return id;
    });
    return this.row(n)!;
  }

  async get(id: string): Promise<Operation | null> {
    return this.row(parseOperationId(id));
  }

  async getByRef(ref: string): Promise<Operation | null> {
    const parsed = operationRefSchema.safeParse(ref);
    if (!parsed.success) return null;
    const r = this.c.st('SELECT * FROM operations WHERE ref = ?').get(parsed.data) as
      OperationRow | undefined;
    return r ? toOperation(r) : null;
  }

  async list(opts: OperationListOptions = {}): Promise<Page<Operation>> {
    const at = this.c.page(opts);
    if (opts.ids) {
      const ns = operationRowIds(opts.ids);
      if (ns.length === 0) return { items: [], total: 0, ...at };
      return this.c.pageOf(
        at,
        {
          cols: '*',
          from: 'operations',
          where: `id IN (${placeholders(ns.length)})`,
          params: ns,
          order: 'ref',
        },
        toOperation,
      );
    }
    return this.c.pageOf(at, { cols: '*', from: 'operations', order: 'ref' }, toOperation);
  }

  async update(id: string, patch: OperationPatch, _ctx: WriteContext): Promise<Operation> {
    const p = parseOr(operationPatchSchema, patch, []);
    await this.c.writeTx(() => {
      const n = this.must(id, ['id']);
      const cur = this.row(n)!;
      checkOperationPatch(cur, p);
      this.c
        .st(
          `UPDATE operations SET name = ?, sensitivity = ?, state = ?, owner = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          p.name ?? cur.name,
          p.sensitivity ?? cur.sensitivity,
          p.state ?? cur.state,
          p.owner ?? cur.owner,
          new Date().toISOString(),
          n,
        );
    });
    return (await this.get(id))!;
  }

  async setMember(
    opId: string,
    user: string,
    role: OperationRole,
    ctx: WriteContext,
  ): Promise<OperationMember> {
    const m = parseOr(memberInputSchema, { role }, []);
    checkMemberName(user);
    const n = await this.c.writeTx(() => {
      const n = this.must(opId);
      this.c
        .st(
          `INSERT INTO operation_members (op_id, user, role, added_by, added_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (op_id, user) DO UPDATE SET role = excluded.role`,
        )
        .run(n, user, m.role, ctx.actor, new Date().toISOString());
      return n;
    });
    const r = this.c.st('SELECT * FROM operation_members WHERE op_id = ? AND user = ?').get(n, user);
    return toMember(r as MemberRow);
  }

  async removeMember(opId: string, user: string, _ctx: WriteContext): Promise<void> {
    await this.c.writeTx(() => {
      const n = this.must(opId);
      checkMemberRemovable(this.row(n)!, user);
      this.c.st('DELETE FROM operation_members WHERE op_id = ? AND user = ?').run(n, user);
    });
  }

  async listMembers(opId: string): Promise<OperationMember[]> {
    const n = this.must(opId);
    const rows = this.c.st('SELECT * FROM operation_members WHERE op_id = ? ORDER BY user').all(n);
    return (rows as MemberRow[]).map(toMember);
  }

  async membershipsOf(user: string): Promise<OperationMember[]> {
    const rows = this.c.st('SELECT * FROM operation_members WHERE user = ? ORDER BY op_id').all(user);
    return (rows as MemberRow[]).map(toMember);
  }

  async readableBy(user: string): Promise<string[]> {
    const ids = this.c
      .st(
        `SELECT id FROM operations WHERE sensitivity = 'open'
         UNION SELECT op_id FROM operation_members WHERE user = ? ORDER BY 1`,
      )
      .pluck()
      .all(user) as number[];
    return ids.map(operationId);
  }

  async defaultOperation(): Promise<Operation> {
    const r = this.c.st('SELECT * FROM operations WHERE ref = ?').get(DEFAULT_OPERATION_REF) as
      OperationRow | undefined;
    if (!r) throw new StoreError('not_found', 'the GENERAL operation is missing: the store was not migrated');
    return toOperation(r);
  }
}
