// The contract every backend's Stores keeps, as describe() factories: the SQLite stores and the Neo4j stores run
// the same tests. One factory per aggregate (graph-write-contract.ts, graph-read-contract.ts,
// workspace-contract.ts, security-contract.ts, cycle-contract.ts, import-log-contract.ts); this file runs them
// all, and what belongs to the Stores as a whole.
import { describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.ts';
import { cycleContract } from './cycle-contract.ts';
import { deconflictionContract } from './deconfliction-contract.ts';
import { duplicatesContract } from './duplicates-contract.ts';
import { type ContractHooks, type ContractSetup, freshStores } from './fixtures.ts';
import { eventsContract } from './events-contract.ts';
import { graphReadContract } from './graph-read-contract.ts';
import { graphWriteContract } from './graph-write-contract.ts';
import { importLogContract } from './import-log-contract.ts';
import { listKeysContract } from './list-keys-contract.ts';
import { needToKnowContract } from './need-to-know-contract.ts';
import { operationContract } from './operation-contract.ts';
import { securityContract } from './security-contract.ts';
import { sharedDeleteContract } from './shared-delete-contract.ts';
import { tierContract } from './tier-contract.ts';
import { workspaceContract } from './workspace-contract.ts';

export type { ContractHooks, ContractSetup } from './fixtures.ts';

function wholeStoresContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`Stores contract: ${name}`, () => {
    const stores = freshStores(setup);

    it('starts empty and init is idempotent', async () => {
      await stores.init();
      const c = await stores.counts();
      expect([c.entities, c.links, c.reports, c.annotations, c.charts, c.audit]).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });
}

/**
 * Runs every part of the contract on the stores `create` makes (a new Stores on an empty database each time; the
 * contract calls init() on it and close() after `destroy`).
 */
export function storesContract<S extends Stores>(
  name: string,
  create: () => Promise<S>,
  destroy?: (stores: S) => Promise<void>,
  hooks: ContractHooks<S> = {},
): void {
  const setup: ContractSetup<S> = { create, destroy, hooks };
  wholeStoresContract(name, setup);
  graphWriteContract(name, setup);
  graphReadContract(name, setup);
  listKeysContract(name, setup);
  workspaceContract(name, setup);
  securityContract(name, setup);
  cycleContract(name, setup);
  duplicatesContract(name, setup);
  importLogContract(name, setup);
  eventsContract(name, setup);
  operationContract(name, setup);
  needToKnowContract(name, setup);
  deconflictionContract(name, setup);
  sharedDeleteContract(name, setup);
  tierContract(name, setup);
}

/**
 * The parts of the contract that expand, search paths or read subgraphs (the reads a SQLite server hands to its
 * read workers: READ_POOL_METHODS): the graph reads, the events and need-to-know. The others never reach a
 * worker, so running them again with workers would only repeat them.
 */
export function walksContract<S extends Stores>(
  name: string,
  create: () => Promise<S>,
  destroy?: (stores: S) => Promise<void>,
): void {
  const setup: ContractSetup<S> = { create, destroy, hooks: {} };
  graphReadContract(name, setup);
  eventsContract(name, setup);
  needToKnowContract(name, setup);
}
