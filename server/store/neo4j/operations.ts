// OperationStore on Neo4j: (:Operation) nodes and their members as (:OperationMember) nodes (why not a
// relationship: cypher/schema.cypher). Neither moves the data version: who may read an operation is no graph
// fact (the server's caches key on the read scope). Same semantics as sqlite/operations.ts.
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
} from '../../domain/operations.ts';
import { StoreError, type Page } from '../common.ts';
import type { OperationListOptions, OperationStore } from '../operation-store.ts';
import { operationId, parseId } from '../shared/ids.ts';
import { parseOr } from '../shared/validate.ts';
import { checkMemberName, checkMemberRemovable, checkOperationPatch } from '../shared/operation-rules.ts';
import { GENERAL_OP_ID, type Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { ShortCache } from './short-cache.ts';

const toOperation = (r: Row): Operation => ({
  id: r.id as string,
  ref: r.ref as string,
  name: r.name as string,
  owner: r.owner as string,
  sensitivity: r.sensitivity as Operation['sensitivity'],
  state: r.state as Operation['state'],
  createdAt: r.createdAt as string,
  updatedAt: r.updatedAt as string,
});

const toMember = (r: Row): OperationMember => ({
  operationId: r.opId as string,
  user: r.user as string,
  role: r.role as OperationRole,
  addedBy: r.addedBy as string,
  addedAt: r.addedAt as string,
});

const opNumber = (id: string): number => parseId(id, 'op') ?? 0;

/**
 * The operation a write lands in: ctx.operationId, else GENERAL. An id that names no operation is refused:
 * a fact must never land in an operation nobody can read.
 */
export async function writeOperation(tx: Tx, ctx: WriteContext): Promise<string> {
  if (ctx.operationId === undefined) return GENERAL_OP_ID;
  const ok =
    parseId(ctx.operationId, 'op') !== null &&
    (await tx.one('operation-by-id', { id: ctx.operationId })) !== undefined;
  if (!ok) throw new StoreError('not_found', `operation ${ctx.operationId} does not exist`, ['operationId']);
  return ctx.operationId;
}

export class Neo4jOperationStore implements OperationStore {
  /** Every request reads these two for its user (need-to-know): kept briefly (short-cache.ts). */
  private readonly readable = new ShortCache<string[]>();
  private readonly memberships = new ShortCache<OperationMember[]>();

  constructor(private readonly c: Neo4jContext) {
    c.onReplaced(() => {
      this.readable.clear();
      this.memberships.clear();
    });
  }

  /** A change to operations or members: the cached reads go before and after it. */
  private changing<T>(write: () => Promise<T>): Promise<T> {
    return this.readable.changing(() => this.memberships.changing(write));
  }

  private async must(tx: Tx, opId: string, at: string[] = ['operationId']): Promise<Operation> {
    const r = parseId(opId, 'op') === null ? undefined : await tx.one('operation-by-id', { id: opId });
    if (!r) throw new StoreError('not_found', `operation ${opId} does not exist`, at);
    return toOperation(r.o as Row);
  }

  async create(input: OperationInput, ctx: WriteContext): Promise<Operation> {
    const o = parseOr(operationInputSchema, input, []);
    return this.changing(() =>
      this.c.write(async (tx, st) => {
        if (await tx.one('operation-by-ref', { ref: o.ref }))
          throw new StoreError('conflict', `an operation with reference ${o.ref} already exists`, ['ref']);
        const now = new Date().toISOString();
        const n = await st.next('operation');
        const op = {
          id: operationId(n),
          n,
          ref: o.ref,
          name: o.name,
          owner: ctx.actor,
          sensitivity: o.sensitivity,
          state: 'active',
          createdAt: now,
          updatedAt: now,
        };
        return toOperation((await tx.one('operation-create', { op }))!.o as Row);
      }),
    );
  }

  async get(id: string): Promise<Operation | null> {
    if (typeof id !== 'string' || parseId(id, 'op') === null) return null;
    return this.c.read(async (tx) => {
      const r = await tx.one('operation-by-id', { id });
      return r ? toOperation(r.o as Row) : null;
    });
  }

  async getByRef(ref: string): Promise<Operation | null> {
    const parsed = operationRefSchema.safeParse(ref);
    if (!parsed.success) return null;
    return this.c.read(async (tx) => {
      const r = await tx.one('operation-by-ref', { ref: parsed.data });
      return r ? toOperation(r.o as Row) : null;
    });
  }

  async list(opts: OperationListOptions = {}): Promise<Page<Operation>> {
    const ids = opts.ids ? [...opts.ids] : null;
    return this.c.listPage('operations', opts, { ids }, 'o', toOperation);
  }

  async update(id: string, patch: OperationPatch, _ctx: WriteContext): Promise<Operation> {
    const p = parseOr(operationPatchSchema, patch, []);
    return this.changing(() =>
      this.c.write(async (tx) => {
        const cur = await this.must(tx, id, ['id']);
        checkOperationPatch(cur, p);
        const r = await tx.one('operation-update', {
          id: cur.id,
          name: p.name ?? cur.name,
          sensitivity: p.sensitivity ?? cur.sensitivity,
          state: p.state ?? cur.state,
          owner: p.owner ?? cur.owner,
          now: new Date().toISOString(),
        });
        return toOperation(r!.o as Row);
      }),
    );
  }

  async setMember(
    opId: string,
    user: string,
    role: OperationRole,
    ctx: WriteContext,
  ): Promise<OperationMember> {
    const m = parseOr(memberInputSchema, { role }, []);
    checkMemberName(user);
    return this.changing(() =>
      this.c.write(async (tx) => {
        await this.must(tx, opId);
        const r = await tx.one('operation-member-set', {
          opId,
          user,
          role: m.role,
          addedBy: ctx.actor,
          now: new Date().toISOString(),
        });
        return toMember(r!.m as Row);
      }),
    );
  }

  async removeMember(opId: string, user: string, _ctx: WriteContext): Promise<void> {
    await this.changing(() =>
      this.c.write(async (tx) => {
        const op = await this.must(tx, opId);
        checkMemberRemovable(op, user);
        await tx.run('operation-member-remove', { opId, user });
      }),
    );
  }

  async listMembers(opId: string): Promise<OperationMember[]> {
    return this.c.read(async (tx) => {
      await this.must(tx, opId);
      return (await tx.run('operation-members', { opId })).map((r) => toMember(r.m as Row));
    });
  }

  async membershipsOf(user: string): Promise<OperationMember[]> {
    const members = await this.memberships.get(user, () =>
      this.c.read(async (tx) =>
        (await tx.run('operation-memberships-of', { user }))
          .map((r) => toMember(r.m as Row))
          .sort((a, b) => opNumber(a.operationId) - opNumber(b.operationId)),
      ),
    );
    return members.map((m) => ({ ...m }));
  }

  async readableBy(user: string): Promise<string[]> {
    const ids = await this.readable.get(user, () =>
      this.c.read(async (tx) => (await tx.run('operations-readable', { user })).map((r) => r.id as string)),
    );
    return [...ids];
  }

  async defaultOperation(): Promise<Operation> {
    const op = await this.getByRef(DEFAULT_OPERATION_REF);
    if (!op)
      throw new StoreError('not_found', 'the GENERAL operation is missing: the store was not migrated');
    return op;
  }
}
