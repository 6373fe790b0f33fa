// Column mapping: which file column feeds which field. Proposed from the header by synonyms, overridden by
// the user's "column=field" pairs.
import { FORMAT_FIELDS, type ImportFormat } from '../api-types/imports.ts';
import { ImportError } from './errors.ts';

const SYNONYMS: Record<string, string[]> = {
  caller: [
    'caller',
    'a number',
    'anumber',
    'a_number',
    'a-number',
    'a party',
    'calling',
    'calling number',
    'from',
    'msisdn',
    'originator',
    'source',
  ],
  callee: [
    'callee',
    'b number',
    'bnumber',
    'b_number',
    'b-number',
    'b party',
    'called',
    'called number',
    'to',
    'recipient',
    'destination',
    'target',
  ],
  start: [
    'start',
    'start time',
    'start_time',
    'starttime',
    'call start',
    'datetime',
    'date time',
    'timestamp',
    'date',
    'call date',
    'start date',
    'time',
  ],
  duration: ['duration', 'duration s', 'duration_s', 'duration (s)', 'seconds', 'secs', 'length'],
  vrm: ['vrm', 'vrn', 'registration', 'reg', 'plate', 'number plate', 'vehicle', 'index'],
  place: ['camera', 'camera id', 'camera_id', 'place', 'location', 'site', 'camera name'],
  time: ['timestamp', 'datetime', 'date time', 'seen', 'date', 'read date', 'time', 'read time', 'read_time'],
  timeOfDay: ['time of day', 'call time', 'start time', 'read time', 'time'],
  lat: ['lat', 'latitude', 'y'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x'],
  label: ['label', 'name', 'full name', 'fullname'],
  type: ['type', 'entity type', 'link type', 'kind'],
  key: ['key', 'id', 'identifier', 'natural key'],
  from: ['from', 'source', 'src', 'a', 'start node'],
  to: ['to', 'target', 'dst', 'b', 'end node'],
  fromType: ['from type', 'fromtype', 'from_type', 'source type'],
  toType: ['to type', 'totype', 'to_type', 'target type'],
  weight: ['weight', 'strength', 'count'],
  firstSeen: ['first seen', 'firstseen', 'first_seen', 'from date', 'start date'],
  lastSeen: ['last seen', 'lastseen', 'last_seen', 'to date', 'end date'],
};

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Parses "column=field" pairs into field -> column. */
export function parseMapPairs(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const i = p.lastIndexOf('=');
    out[p.slice(i + 1).trim()] = p.slice(0, i).trim();
  }
  return out;
}

/** field -> column name: the user's choices first, then header synonyms for the format's fields. */
export function proposeMapping(
  format: ImportFormat,
  columns: string[],
  user: Record<string, string>,
): Record<string, string> {
  const { required, optional } = FORMAT_FIELDS[format];
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [field, col] of Object.entries(user)) {
    mapping[field] = col;
    taken.add(col);
  }
  for (const field of [...required, ...optional]) {
    if (mapping[field]) continue;
    const syn = SYNONYMS[field] ?? [field];
    for (const s of [field.toLowerCase(), ...syn]) {
      const col = columns.find((c) => !taken.has(c) && norm(c) === norm(s));
      if (col !== undefined) {
        mapping[field] = col;
        taken.add(col);
        break;
      }
    }
  }
  // A separate time column is proposed only beside a column whose header names a date alone: "Start Time"
  // or "Timestamp" usually hold the date too, and adding a time to them would spoil every row.
  const dated = mapping.start ?? mapping.time;
  if (mapping.timeOfDay && !user.timeOfDay && !(dated && isDateOnlyHeader(dated))) {
    delete mapping.timeOfDay;
  }
  return mapping;
}

const isDateOnlyHeader = (column: string): boolean =>
  /date/.test(norm(column)) && !/time|stamp/.test(norm(column));

export function missingFields(format: ImportFormat, mapping: Record<string, string>): string[] {
  return FORMAT_FIELDS[format].required.filter((f) => !mapping[f]);
}

/** field -> column index; refuses a mapping to a column the file lacks, or a required field left unmapped. */
export function resolveColumns(
  format: ImportFormat,
  columns: string[],
  mapping: Record<string, string>,
  alsoRequired: string[] = [],
): Record<string, number> {
  const idx: Record<string, number> = {};
  for (const [field, col] of Object.entries(mapping)) {
    const i = columns.indexOf(col);
    if (i < 0) {
      throw new ImportError(
        400,
        'missing_column',
        `the mapping sends column ${JSON.stringify(col)} to ${field}, but the file has no such column; its columns are ${columns
          .map((c) => JSON.stringify(c))
          .join(', ')}`,
        { row: 1, column: col },
      );
    }
    idx[field] = i;
  }
  const missing = [...missingFields(format, mapping), ...alsoRequired.filter((f) => !mapping[f])];
  if (missing.length) {
    throw new ImportError(
      400,
      'missing_column',
      `no column gives ${missing.join(', ')} for a ${format} import; the file's columns are ${columns
        .map((c) => JSON.stringify(c))
        .join(', ')}. Map one with map=COLUMN=${missing[0]}`,
      { row: 1, column: missing[0] },
    );
  }
  return idx;
}
