// /api/events/*: what the timeline panel asks of the stored calls and sightings.
//   POST /events/timeline   {entityIds, from?, to?, limit?}  lines (a person with their phones and vehicles) and their events
//   POST /events/patterns   {entityId, otherId?, from?, to?, timeZone?}  calls by hour and weekday, first and last contact
//   POST /events/around     {entityId?, at, hoursBefore, hoursAfter}  contacts in the hours around a moment, ranked
//   POST /events/histogram  {entityIds?, from?, to?, maxBuckets?}  activity over time for the time bar
// Every request reads at most MAX_READ events (the answer says `truncated` when it stopped there); the
// analysis itself is pure (server/events/). The audit records each request like every other read.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Entity } from '../domain/model.ts';
import { MAX_EVENTS_PAGE, MAX_EVENT_QUERY_IDS, type EventFilter, type LinkEvent } from '../domain/events.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { errorResponses } from '../api-types/common.ts';
import { ApiError } from '../api-types/errors.ts';
import {
  aroundRequestSchema,
  aroundResponseSchema,
  histogramRequestSchema,
  histogramResponseSchema,
  patternRequestSchema,
  patternResponseSchema,
  timelineRequestSchema,
  timelineResponseSchema,
} from '../api-types/event-patterns.ts';
import { callPattern } from '../events/call-pattern.ts';
import { LocalClock, isTimeZone } from '../events/clock.ts';
import { contactsAround } from '../events/contacts-around.ts';
import { histogram } from '../events/histogram.ts';
import { graphOf, type RouteDeps } from './context.ts';

/** Most events one request reads. */
export const MAX_READ = 200_000;
/** Most phones and vehicles a person's line gathers. */
const MAX_MEMBERS = 50;
/** Most other ends whose names a timeline looks up. */
const MAX_LABELS = 2000;

const READ = { access: 'graph:read' as const };

type EventQuery = Omit<EventFilter, 'limit' | 'after' | 'entityIds'> & { entityIds?: string[] };

/**
 * Reads the events matching `q`, at most `max`, a page at a time. The store takes at most
 * MAX_EVENT_QUERY_IDS entity ids a query, so a longer list is read in slices and a call between two
 * slices (met twice) is kept once.
 */
async function readEvents(
  graph: GraphStore,
  q: EventQuery,
  max: number,
): Promise<{ events: LinkEvent[]; truncated: boolean }> {
  const events: LinkEvent[] = [];
  const seen = new Set<string>();
  const { entityIds, ...rest } = q;
  const slices: Array<string[] | undefined> = [];
  if (!entityIds) slices.push(undefined);
  else
    for (let i = 0; i < entityIds.length; i += MAX_EVENT_QUERY_IDS)
      slices.push(entityIds.slice(i, i + MAX_EVENT_QUERY_IDS));
  for (const ids of slices) {
    let after: string | undefined;
    do {
      const page = await graph.listEvents({
        ...rest,
        ...(ids ? { entityIds: ids } : {}),
        limit: Math.min(MAX_EVENTS_PAGE, max - events.length),
        ...(after ? { after } : {}),
      });
      for (const e of page.events) {
        if (slices.length > 1) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
        }
        events.push(e);
      }
      after = page.next ?? undefined;
    } while (after && events.length < max);
    if (after) return { events, truncated: true };
  }
  return { events, truncated: false };
}

function missing(what: string, id: string, field: string): ApiError {
  return new ApiError(404, 'not_found', `no ${what} with id ${id}`, { path: ['body', field] });
}

/** The entity and the phones and vehicles it uses (a phone or vehicle is its own only member). */
async function membersOf(graph: GraphStore, e: Entity): Promise<string[]> {
  if (e.type === 'Phone' || e.type === 'Vehicle' || e.type === 'Location') return [e.id];
  const uses = await graph.listLinks({ type: 'USES', entityId: e.id, limit: 200 });
  const targets = uses.items.filter((l) => l.from === e.id).map((l) => l.to);
  const kept = (await graph.getEntities(targets))
    .filter((t) => t.type === 'Phone' || t.type === 'Vehicle')
    .map((t) => t.id);
  return [e.id, ...kept.slice(0, MAX_MEMBERS)];
}

async function entitiesById(graph: GraphStore, ids: string[]): Promise<Map<string, Entity>> {
  return new Map((await graph.getEntities(ids)).map((e) => [e.id, e]));
}

/** Who uses each phone: the user with the latest USES link, when the store knows one. */
async function usersOf(
  graph: GraphStore,
  phones: string[],
): Promise<Map<string, { id: string; label: string }>> {
  const userOf = new Map<string, string>();
  for (const p of phones) {
    const links = (await graph.listLinks({ type: 'USES', entityId: p, limit: 50 })).items.filter(
      (l) => l.to === p,
    );
    links.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
    if (links[0]) userOf.set(p, links[0].from);
  }
  const people = await entitiesById(graph, [...new Set(userOf.values())]);
  const out = new Map<string, { id: string; label: string }>();
  for (const [p, u] of userOf) {
    const e = people.get(u);
    if (e) out.set(p, { id: e.id, label: e.label });
  }
  return out;
}

const eventPatterns: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  // Every read below is of the graph as the request may read it (need-to-know).
  const g = graphOf({ stores });

  const subjectOf = async (graph: GraphStore, id: string, field: string) => {
    const e = (await graph.getEntities([id]))[0];
    if (!e) throw missing('entity', id, field);
    const members = await membersOf(graph, e);
    return { entity: e, members, phones: members.filter((m) => m !== e.id || e.type === 'Phone').length };
  };

  app.post(
    '/events/timeline',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary:
          'Theme lines: each entity (a person with their phones and vehicles) and their calls and sightings',
        body: timelineRequestSchema,
        response: { 200: timelineResponseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const graph = await g(req);
      const { entityIds, from, to, limit } = req.body;
      const found = await entitiesById(graph, entityIds);
      const lost = entityIds.findIndex((id) => !found.has(id));
      if (lost >= 0)
        throw new ApiError(404, 'not_found', `no entity with id ${entityIds[lost]}`, {
          path: ['body', 'entityIds', lost],
        });
      const lines = [];
      for (const id of new Set(entityIds)) {
        const e = found.get(id)!;
        lines.push({ id, label: e.label, type: e.type, members: await membersOf(graph, e) });
      }
      const all = [...new Set(lines.flatMap((l) => l.members))];
      const { events, truncated } = await readEvents(graph, { entityIds: all, from, to }, limit);
      const onLines = new Set(all);
      const others = new Set<string>();
      for (const e of events)
        for (const end of [e.fromId, e.toId])
          if (!onLines.has(end) && others.size < MAX_LABELS) others.add(end);
      const labels: Record<string, string> = {};
      for (const e of (await entitiesById(graph, [...others, ...all])).values()) labels[e.id] = e.label;
      return { lines, events, labels, truncated };
    },
  );

  app.post(
    '/events/patterns',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary:
          "A phone's or person's calls (or a pair's) by hour of day and day of week, first and last contact",
        body: patternRequestSchema,
        response: { 200: patternResponseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const graph = await g(req);
      const { entityId, otherId, from, to, timeZone } = req.body;
      if (!isTimeZone(timeZone))
        throw new ApiError(
          400,
          'invalid',
          `${JSON.stringify(timeZone)} is not a time zone (e.g. Europe/London)`,
          {
            path: ['body', 'timeZone'],
          },
        );
      if (otherId === entityId)
        throw new ApiError(400, 'invalid', 'a pair needs two different entities', {
          path: ['body', 'otherId'],
        });
      const a = await subjectOf(graph, entityId, 'entityId');
      const b = otherId ? await subjectOf(graph, otherId, 'otherId') : null;
      const { events, truncated } = await readEvents(
        graph,
        { entityIds: a.members, from, to, kinds: ['call'] },
        MAX_READ,
      );
      const p = callPattern(
        events,
        new Set(a.members),
        b ? new Set(b.members) : null,
        new LocalClock(timeZone),
      );
      const party = (s: typeof a) => ({ id: s.entity.id, label: s.entity.label, phones: s.phones });
      return { subject: party(a), other: b ? party(b) : null, ...p, truncated };
    },
  );

  app.post(
    '/events/around',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary: 'Contacts in the hours before and after a moment (an incident, an arrest), ranked by calls',
        body: aroundRequestSchema,
        response: { 200: aroundResponseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const graph = await g(req);
      const { entityId, at, hoursBefore, hoursAfter, limit } = req.body;
      const s = entityId ? await subjectOf(graph, entityId, 'entityId') : null;
      const atMs = Date.parse(at);
      const q = { at: atMs, hoursBefore, hoursAfter };
      const from = new Date(atMs - hoursBefore * 3_600_000).toISOString();
      const to = new Date(atMs + hoursAfter * 3_600_000).toISOString();
      const { events, truncated } = await readEvents(
        graph,
        { ...(s ? { entityIds: s.members } : {}), from, to, kinds: ['call'] },
        MAX_READ,
      );
      const answer = contactsAround(events, s ? new Set(s.members) : null, q);
      const top = answer.contacts.slice(0, limit);
      const ids = top.map((c) => c.id);
      const [names, users] = await Promise.all([entitiesById(graph, ids), usersOf(graph, ids)]);
      return {
        subject: s ? { id: s.entity.id, label: s.entity.label, phones: s.phones } : null,
        from: answer.from,
        to: answer.to,
        calls: answer.calls,
        contactCount: answer.contacts.length,
        contacts: top.map((c) => ({
          ...c,
          label: names.get(c.id)?.label ?? c.id,
          user: users.get(c.id) ?? null,
        })),
        truncated,
      };
    },
  );

  app.post(
    '/events/histogram',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary: 'Calls and sightings over time in buckets that suit the range (for the time bar)',
        body: histogramRequestSchema,
        response: { 200: histogramResponseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const graph = await g(req);
      const { entityIds, from, to, maxBuckets } = req.body;
      let ids: string[] | undefined;
      if (entityIds) {
        // People bring their phones and vehicles; phones, vehicles and places stand for themselves.
        const found = await entitiesById(graph, entityIds);
        const set = new Set<string>();
        for (const e of found.values()) {
          if (e.type === 'Person' || e.type === 'Organisation')
            for (const m of await membersOf(graph, e)) set.add(m);
          else set.add(e.id);
          if (set.size > 20_000) break;
        }
        ids = [...set];
        if (!ids.length) return { ...histogram([], 0, 0, maxBuckets), truncated: false };
      }
      const { events, truncated } = await readEvents(
        graph,
        { ...(ids ? { entityIds: ids } : {}), from, to },
        MAX_READ,
      );
      let lo = from ? Date.parse(from) : Infinity;
      let hi = to ? Date.parse(to) : -Infinity;
      if (!from || !to)
        for (const e of events) {
          const ms = Date.parse(e.at);
          if (!from && ms < lo) lo = ms;
          if (!to && ms > hi) hi = ms;
        }
      if (!(lo <= hi)) return { ...histogram([], 0, 0, maxBuckets), buckets: [], truncated };
      return { ...histogram(events, lo, hi, maxBuckets), truncated };
    },
  );
};

export default eventPatterns;
