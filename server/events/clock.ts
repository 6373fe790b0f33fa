// Hour of day and day of week in the analyst's time zone. Call records are stored in UTC, but "calls peak at
// 11 pm" must be said in local time (British Summer Time moves every UTC hour by one for half the year).
import { HOUR_MS } from './event-shape.ts';

/** Whether the name is a time zone this runtime knows (e.g. Europe/London, UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Reads local hour and weekday of a UTC instant. The zone's offset only changes on whole UTC hours, so one
 * Intl call per distinct UTC hour is enough: a million calls over a year cost under 9,000 formatter calls.
 */
export class LocalClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, { hour: number; weekday: number }>();

  constructor(readonly timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
  }

  /** Local hour 0-23 and weekday 0 (Monday) to 6 (Sunday) of an epoch-ms instant. */
  parts(ms: number): { hour: number; weekday: number } {
    const h = Math.floor(ms / HOUR_MS);
    let p = this.cache.get(h);
    if (!p) {
      let hour = 0;
      let weekday = 0;
      for (const part of this.fmt.formatToParts(h * HOUR_MS)) {
        if (part.type === 'hour') hour = Number(part.value);
        else if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value);
      }
      p = { hour, weekday };
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(h, p);
    }
    return p;
  }
}
