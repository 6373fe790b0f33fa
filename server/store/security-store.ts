// SecurityStore: who may sign in (users) and what everyone did (the append-only, hash-chained audit).
// Contract: test/contract/security-contract.ts.
import type { AuditEvent, AuditInput, Role, User } from '../domain/model.ts';
import type { ListOptions, Page } from './common.ts';

export interface AuditQuery extends ListOptions {
  actor?: string;
  action?: string;
  objectId?: string;
  since?: string;
  until?: string;
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
