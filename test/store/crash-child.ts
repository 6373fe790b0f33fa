// Child process for crash.test.ts: seeds a large network into the SQLite file named on the command line, one
// transaction per chunk, each chunk carrying a marker entity, and says "committed N" after each commit.
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { planNetwork } from '../../seed/generate.ts';
import { crashMarker, CRASH_PLAN } from './crash-plan.ts';

const stores = await openSqliteStores(process.argv[2]);
let i = 0;
let links = 0;
for (const chunk of planNetwork(CRASH_PLAN.opts, CRASH_PLAN.chunkLinks).chunks()) {
  links += chunk.links?.length ?? 0;
  await stores.graph.writeBatch(
    { ...chunk, entities: [...(chunk.entities ?? []), crashMarker(i, links)] },
    { actor: 'crash' },
  );
  process.stdout.write(`committed ${i}\n`);
  i++;
}
process.stdout.write('done\n');
await stores.close();
