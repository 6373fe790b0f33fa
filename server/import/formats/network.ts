// Edge lists, adjacency matrices and two-mode (people x events) matrices, read by the analysis engine's
// parsers (formats/network-files.ts) and turned into Person (and Event) entities with ASSOCIATE_OF
// (and INVOLVED_IN) links. Identifiers in these files are local to the file, so every entity is keyed
// by namespace:label (the namespace defaults to the file's name).
// A two-mode file is stored in ONE of its two forms, never both: people, events and INVOLVED_IN links
// (the default; a person-level view projects them with personVia Event), or, with `project`, only the
// people and the projection (ASSOCIATE_OF weighted by events shared). Both at once would count every
// shared meeting twice in a person-level view.
import type { EntityInput, LinkInput, Properties } from '../../domain/model.ts';
import type { GraphStore } from '../../store/graph-store.ts';
import { parseWhen } from '../dates.ts';
import { ImportError } from '../errors.ts';
import { importedEntity } from './generic.ts';
import {
  NetworkFileError,
  foldedNote,
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
  /** Two-mode files: store the projection onto people INSTEAD of the events and attendance links. */
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

/** Marks a link made by projecting a two-mode file, so a later import can tell that form is stored. */
export const PROJECTED_FROM = 'projectedFrom';

function oneMode(
  net: NetworkFile,
  ns: string,
  reports: string[],
  extra: Properties = {},
): { entities: EntityInput[]; links: LinkInput[]; notes: string[] } {
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
    properties: { ...extra, ...(p.directed ? { directed: true, weightAB: p.ab, weightBA: p.ba } : {}) },
    reports,
  }));
  const notes = [...(net.notes ?? [])];
  if (net.edges.some((e) => e.directed)) {
    const both = [...pairs.values()].filter((p) => p.ab > 0 && p.ba > 0).length;
    // The words `analyse --undirected` prints, plus where each direction's share is kept.
    notes.push(`${foldedNote(pairs.size, both)} (each direction's weight kept as weightAB and weightBA)`);
  }
  return { entities: [...byId.values()], links, notes };
}

export interface NetworkBatch {
  entities: EntityInput[];
  links: LinkInput[];
  /** What the reader did that the rows alone would not show (header, drops, folding), for the report. */
  notes: string[];
  /** Rows of data the file held (no header or comment lines), when the reader counted them. */
  dataRows?: number;
  /** Two-mode files: the form stored, so the pipeline can refuse the other form on top of it. */
  twoMode?: { form: 'projection' | 'events'; firstEvent: EntityInput; people: EntityInput[]; marker: string };
}

function withRows(net: NetworkFile, ns: string, reports: string[]): NetworkBatch {
  const batch: NetworkBatch = oneMode(net, ns, reports);
  if (net.dataRows !== undefined) batch.dataRows = net.dataRows;
  return batch;
}

export function networkBatch(
  text: string,
  format: NetworkImportFormat,
  opts: NetworkImportOptions,
): NetworkBatch {
  const { namespace: ns, reports } = opts;
  const read = {
    ...(opts.maxRowChars === undefined ? {} : { maxRowChars: opts.maxRowChars }),
    ...(opts.header === undefined ? {} : { header: opts.header }),
  };
  try {
    if (format === 'edgelist') return withRows(parseEdgeList(text, read), ns, reports);
    if (format === 'matrix') return withRows(parseMatrix(text, read), ns, reports);
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
    if (opts.project) {
      const marker = `${ns}:events`;
      const projected = oneMode(projectTwoMode(tm), ns, reports, { [PROJECTED_FROM]: marker });
      projected.notes.push(
        `stored as the projection only: ${projected.links.length} ASSOCIATE_OF links between people, ` +
          `no events (import without project to keep the ${tm.events.length} events and who attended them)`,
      );
      return {
        ...projected,
        twoMode: { form: 'projection', firstEvent: events[0], people: projected.entities, marker },
      };
    }
    const people = new Map(tm.actors.map((a) => [a, importedEntity('Person', a, {}, ns, reports)]));
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
    return {
      entities: [...people.values(), ...events],
      links,
      notes: [
        ...(tm.notes ?? []),
        `stored as people, ${tm.events.length} events and ${links.length} attendance (INVOLVED_IN) links; ` +
          'analyse people with --via Event (import with project to store the projection instead)',
      ],
      twoMode: {
        form: 'events',
        firstEvent: events[0],
        people: [...people.values()],
        marker: `${ns}:events`,
      },
    };
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

/**
 * Refuses to store a two-mode file's second form on top of its first (same namespace): the events next to
 * the projection would count every shared meeting twice in a person-level view (--via Event).
 */
export async function checkOneTwoModeForm(
  store: Pick<GraphStore, 'findEntity' | 'listLinks'>,
  batch: NetworkBatch,
): Promise<void> {
  const tm = batch.twoMode;
  if (!tm || !tm.firstEvent) return;
  const refuse = (what: string) => {
    throw new ImportError(
      409,
      'two_mode_form_conflict',
      `this two-mode file is already in the store ${what}; storing the other form too would count every ` +
        'shared event twice when people are analysed. Keep one: delete that import first, or import this ' +
        'file under another namespace',
    );
  };
  if (tm.form === 'projection') {
    if (await store.findEntity('Event', tm.firstEvent.key!))
      refuse('as events and attendance links (imported without project)');
    return;
  }
  // A stored projection marks its links: look at the links of the file's first people (bounded work).
  for (const p of tm.people.slice(0, 20)) {
    const person = await store.findEntity('Person', p.key!);
    if (!person) continue;
    const page = await store.listLinks({ type: 'ASSOCIATE_OF', entityId: person.id, limit: 500 });
    if (page.items.some((l) => l.properties[PROJECTED_FROM] === tm.marker))
      refuse('as its projection onto people (imported with project)');
  }
}
