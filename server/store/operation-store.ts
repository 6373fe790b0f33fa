// OperationStore: the operations facts belong to, and who is a member of which (need-to-know). A user reads
// every open operation and the closed ones they are a member of (readableBy); the global role opens none.
// Contract: test/contract/operation-contract.ts.
import type { WriteContext } from '../domain/model.ts';
import type {
  Operation,
  OperationInput,
  OperationMember,
  OperationPatch,
  OperationRole,
} from '../domain/operations.ts';
import type { ListOptions, Page } from './common.ts';

export interface OperationListOptions extends ListOptions {
  /** Only these operations (ids), e.g. the ones a user may read. */
  ids?: readonly string[];
}

export interface OperationStore {
  /** A new operation; ctx.actor owns it and becomes its owner member. A ref already taken is a 'conflict'. */
  create(input: OperationInput, ctx: WriteContext): Promise<Operation>;
  get(id: string): Promise<Operation | null>;
  /** By reference, ignoring case. */
  getByRef(ref: string): Promise<Operation | null>;
  /** In ref order. */
  list(opts?: OperationListOptions): Promise<Page<Operation>>;
  /** An unknown id is 'not_found'; the GENERAL operation stays open. */
  update(id: string, patch: OperationPatch, ctx: WriteContext): Promise<Operation>;
  /** Adds the member or changes their role. */
  setMember(opId: string, user: string, role: OperationRole, ctx: WriteContext): Promise<OperationMember>;
  /** Removes the member (nothing when they are none); the operation's owner cannot be removed ('conflict'). */
  removeMember(opId: string, user: string, ctx: WriteContext): Promise<void>;
  listMembers(opId: string): Promise<OperationMember[]>;
  /** Every operation `user` is a member of, with their role. */
  membershipsOf(user: string): Promise<OperationMember[]>;
  /** Ids of the operations `user` may read: every open one and the closed ones they are a member of. */
  readableBy(user: string): Promise<string[]>;
  /** The GENERAL operation, where writes that name no operation land. */
  defaultOperation(): Promise<Operation>;
}
