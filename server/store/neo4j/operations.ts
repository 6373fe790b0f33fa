// PLACEHOLDER until ops-neo4j lands the Neo4j OperationStore: every call says the operation store is not on
// Neo4j yet, so nothing silently pretends to keep need-to-know.
import { StoreError } from '../common.ts';
import type { OperationStore } from '../operation-store.ts';

const missing = (): never => {
  throw new StoreError('unavailable', 'operations are not available on the Neo4j store yet');
};

export class Neo4jOperationStore implements OperationStore {
  create = missing;
  get = missing;
  getByRef = missing;
  list = missing;
  update = missing;
  setMember = missing;
  removeMember = missing;
  listMembers = missing;
  membershipsOf = missing;
  readableBy = missing;
  defaultOperation = missing;
}
