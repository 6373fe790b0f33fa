// What crash-child.ts writes, shared with the test so it can tell whole chunks from torn ones.
import type { EntityInput } from '../../server/domain/model.ts';

export const CRASH_PLAN = { opts: { seed: 77, size: 400_000 }, chunkLinks: 4_000 } as const;

export function crashMarker(chunk: number, linksSoFar: number): EntityInput {
  return {
    type: 'Event',
    label: `crash-test chunk ${chunk}`,
    key: `ref:CRASH-CHUNK-${chunk}`,
    properties: { reference: `CRASH-CHUNK-${chunk}`, chunk, linksSoFar },
  };
}
