// SecurityStore: who may sign in (users) and what everyone did (the append-only, hash-chained audit).
// Contract: test/contract/security-contract.ts.
import type { AuditEvent, AuditInput, Role, User } from '../domain/model.ts';
import type { ListOptions, Page } from './common.ts';

export interface AuditSupervision {
  operations: readonly string[];
  within: readonly string[];
}

/** Whether `record` is in a supervisor's view (the same rule the stores' listAudit applies). */
export function inSupervision(record: { operations?: string[] }, s: AuditSupervision | null): boolean {
  const ops = record.operations ?? [];
  if (s === null || ops.length === 0) return true;
  return ops.some((op) => s.operations.includes(op)) && ops.every((op) => s.within.includes(op));
}

export interface AuditQuery extends Omit<ListOptions, 'after'> {
  actor?: string;
  action?: string;
  objectId?: string;
  since?: string;
  until?: string;
  /**
   * A supervisor's view of the trail: records carrying no operation, and records carrying one of
   * `operations` and none outside `within` (so a record that touched another closed operation stays
   * hidden). Absent: all records (an administrator's view).
   */
  supervised?: AuditSupervision;
  /** Read by key: only records after this sequence number (the `next` of the page before, oldest first). */
  after?: number;
  /** Read by key: only records before this sequence number (the `next` of the page before, newest first). */
  before?: number;
  /** Newest first (read backwards along the same index); oldest first by default. */
  newestFirst?: boolean;
}

export interface SecurityStore {
  createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User>;
  updateUser(id: string, patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>): Promise<User>;
  getUserByName(name: string): Promise<User | null>;
  getUser(id: string): Promise<User | null>;
  listUsers(opts?: ListOptions): Promise<Page<User>>;

  /** Append-only: the store links each record to the previous one by hash (see server/security/audit-chain.ts). */
  appendAudit(input: AuditInput): Promise<AuditEvent>;
  /**
   * Several records in one transaction, chained in the order given: all are written or none (a bad one
   * is refused as 'invalid' with its index in the path). The server's audit hook groups the records of
   * concurrent requests this way, so the chain costs one commit per group rather than one per request.
   */
  appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]>;
  listAudit(query?: AuditQuery): Promise<Page<AuditEvent>>;
}
