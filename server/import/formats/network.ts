// Edge lists, adjacency matrices and two-mode (people x events) matrices, read by the analysis engine's
// parsers (formats/network-files.ts) and turned into Person (and Event) entities with ASSOCIATE_OF
// (and INVOLVED_IN) links. Identifiers in these files are local to the file, so every entity is keyed
// by namespace:label (the namespace defaults to the file's name).
import type { EntityInput, LinkInput, Properties } from '../../domain/model.ts';
import { parseWhen } from '../dates.ts';
import { ImportError } from '../errors.ts';
import { importedEntity } from './generic.ts';
import {
  NetworkFileError,
  parseEdgeList,
  parseMatrix,
  parseTwoMode,
  projectTwoMode,
  projectionPairs,
  type NetworkFile,
} from './network-files.ts';

export type NetworkImportFormat = 'edgelist' | 'matrix' | 'twomode';

export interface NetworkImportOptions {
  namespace: string;
  project?: boolean;
  header?: boolean;
  reports: string[];
  /** Longest row, in characters. */
  maxRowChars?: number;
  /** Most pairs of people a two-mode projection may join (its work and its links); past it, 413. */
  maxProjectedPairs?: number;
}

/** "18/10/2007(L), summit-dinner at ..." -> 2007-10-18, when the event label starts with a date. */
function eventDate(label: string): string | undefined {
  const m = /^\s*(\d{1,2}\/\d{1,2}\/\d{4})/.exec(label);
  const t = m ? parseWhen(m[1]) : null;
  return t ? t.slice(0, 10) : undefined;
}

function oneMode(
  net: NetworkFile,
  ns: string,
  reports: string[],
): { entities: EntityInput[]; links: LinkInput[] } {
  const byId = new Map<string, EntityInput>();
  for (const n of net.nodes) byId.set(n.id, importedEntity('Person', n.label, {}, ns, reports));
  // ASSOCIATE_OF is undirected: the two directions of a directed file fold into one link whose weight is
  // their sum (e.g. messages both ways), keeping each direction's share as properties.
  const pairs = new Map<string, { a: string; b: string; ab: number; ba: number; directed: boolean }>();
  for (const e of net.edges) {
    const [a, b] = e.source < e.target ? [e.source, e.target] : [e.target, e.source];
    const k = `${a}\u0000${b}`;
    const p = pairs.get(k) ?? { a, b, ab: 0, ba: 0, directed: e.directed };
    if (e.source === a) p.ab += e.weight;
    else p.ba += e.weight;
    pairs.set(k, p);
  }
  const links: LinkInput[] = [...pairs.values()].map((p): LinkInput => ({
    type: 'ASSOCIATE_OF',
    from: { type: 'Person', key: byId.get(p.a)!.key! },
    to: { type: 'Person', key: byId.get(p.b)!.key! },
    weight: p.ab + p.ba,
    properties: (p.directed ? { directed: true, weightAB: p.ab, weightBA: p.ba } : {}) as Properties,
    reports,
  }));
  return { entities: [...byId.values()], links };
}

export function networkBatch(
  text: string,
  format: NetworkImportFormat,
  opts: NetworkImportOptions,
): { entities: EntityInput[]; links: LinkInput[] } {
  const { namespace: ns, reports } = opts;
  const read = opts.maxRowChars === undefined ? {} : { maxRowChars: opts.maxRowChars };
  try {
    if (format === 'edgelist') {
      return oneMode(
        parseEdgeList(text, { ...read, ...(opts.header === undefined ? {} : { header: opts.header }) }),
        ns,
        reports,
      );
    }
    if (format === 'matrix') return oneMode(parseMatrix(text, read), ns, reports);
    const tm = parseTwoMode(text, read);
    const maxPairs = opts.maxProjectedPairs ?? Number.MAX_SAFE_INTEGER;
    const pairs = opts.project ? projectionPairs(tm) : 0;
    if (pairs > maxPairs) {
      throw new ImportError(
        413,
        'projection_too_large',
        `projecting this two-mode file onto its people would join ${pairs} pairs (people sharing an event, ` +
          `counted event by event), more than the ${maxPairs} an import projects ` +
          '(LINKCHART_MAX_PROJECTION_PAIRS); import it without project=true, or split its events',
      );
    }
    const people = new Map(tm.actors.map((a) => [a, importedEntity('Person', a, {}, ns, reports)]));
    const events = tm.events.map((label, j) => {
      const date = eventDate(label);
      return importedEntity(
        'Event',
        label.slice(0, 500),
        { reference: `${ns}:event:${j + 1}`, ...(date ? { date } : {}) },
        ns,
        reports,
      );
    });
    const links: LinkInput[] = [];
    tm.incidence.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v > 0) {
          const ev = events[j];
          const date = ev.properties?.['date'];
          links.push({
            type: 'INVOLVED_IN',
            from: { type: 'Person', key: people.get(tm.actors[i])!.key! },
            to: { type: 'Event', key: ev.key! },
            weight: v,
            ...(typeof date === 'string' ? { firstSeen: date, lastSeen: date } : {}),
            properties: {},
            reports,
          });
        }
      }),
    );
    // One by one: spreading a long array into push overflows the stack.
    if (opts.project) for (const l of oneMode(projectTwoMode(tm), ns, reports).links) links.push(l);
    return { entities: [...people.values(), ...events], links };
  } catch (e) {
    if (e instanceof NetworkFileError) {
      throw new ImportError(
        400,
        'invalid_file',
        e.message.replace(/^network-files: /, ''),
        e.line ? { row: e.line } : {},
      );
    }
    throw e;
  }
}
