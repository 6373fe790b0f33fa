// The rules of operations both backends keep (sqlite/operations.ts, neo4j/operations.ts), written once.
import { DEFAULT_OPERATION_REF, type Operation, type OperationPatch } from '../../domain/operations.ts';
import { StoreError } from '../common.ts';

/** GENERAL holds what was written outside any operation: it cannot be closed to the force. */
export function checkOperationPatch(cur: Pick<Operation, 'ref'>, p: OperationPatch): void {
  if (cur.ref === DEFAULT_OPERATION_REF && p.sensitivity === 'closed')
    throw new StoreError(
      'conflict',
      'the GENERAL operation stays open: it holds what was written outside any operation',
      ['sensitivity'],
    );
}

export function checkMemberName(user: unknown): void {
  if (typeof user !== 'string' || user.trim() === '')
    throw new StoreError('invalid', 'user: a member is named by their user name', ['user']);
}

/** An operation always has its owner among its members. */
export function checkMemberRemovable(op: Pick<Operation, 'owner'>, user: string): void {
  if (op.owner === user)
    throw new StoreError(
      'conflict',
      `${user} owns the operation; make someone else its owner before removing them`,
      ['user'],
    );
}
