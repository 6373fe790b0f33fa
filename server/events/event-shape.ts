// The part of a stored event (a call or a sighting) the pure analyses read. Structural, so the store's
// LinkEvent is accepted as it is; the analyses never see the database.
export interface EventLike {
  id: string;
  kind: 'call' | 'sighting';
  /** ISO time the call started or the read was made. */
  at: string;
  durationSeconds: number | null;
  /** Which way the call went between fromId and toId; null for sightings or when the record did not say. */
  direction: 'outgoing' | 'incoming' | null;
  fromId: string;
  toId: string;
}

/** The phone that placed a call: fromId, unless the record says the call came in to fromId. */
export function callerOf(e: EventLike): string {
  return e.direction === 'incoming' ? e.toId : e.fromId;
}

/** The phone that received a call. */
export function calleeOf(e: EventLike): string {
  return e.direction === 'incoming' ? e.fromId : e.toId;
}

export const HOUR_MS = 3_600_000;
