// ANPR reads: registration, camera or place, time, optional coordinates -> Vehicle and Location entities
// and SIGHTED_AT links aggregated per (vehicle, place): weight = number of reads, first and last read; each
// read is kept as an event (its camera as the place).
import type { EntityInput, LinkInput, Properties } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { displayVrm, normaliseName, normaliseVrm } from '../../domain/normalise.ts';
import { rowWhen } from '../dates.ts';
import { RowProblem } from '../errors.ts';
import { parseMapPairs, proposeMapping, resolveColumns } from '../mapping.ts';
import type { FormatContext, RowFormat } from './types.ts';
import { EventBuffer } from './events-buffer.ts';

interface Agg {
  /** Order of first appearance: the events' link number until finish sorts the links. */
  n: number;
  reads: number;
  first: string;
  last: string;
}

export function anprFormat({ columns, options, reports }: FormatContext): RowFormat {
  const mapping = proposeMapping('anpr', columns, parseMapPairs(options.map));
  const col = resolveColumns('anpr', columns, mapping);
  const whenColumns = { date: mapping.time, clock: mapping.timeOfDay };
  if ((col.lat === undefined) !== (col.lon === undefined)) {
    throw new RowProblem(
      mapping.lat ?? mapping.lon,
      'coordinates need both a latitude and a longitude column',
    );
  }
  const vehicles = new Set<string>();
  const places = new Map<string, { label: string; properties: Properties }>();
  const sightings = new Map<string, Agg>();
  const reads = new EventBuffer('sighting');

  const coord = (cells: string[], field: 'lat' | 'lon', max: number): number | undefined => {
    const raw = (cells[col[field]] ?? '').trim();
    if (raw === '') return undefined;
    const v = Number(raw);
    if (!Number.isFinite(v) || Math.abs(v) > max) {
      throw new RowProblem(
        mapping[field],
        `${JSON.stringify(raw)} is not a ${field === 'lat' ? 'latitude' : 'longitude'} (-${max} to ${max})`,
      );
    }
    return v;
  };

  return {
    mapping,
    add(cells) {
      const rawVrm = cells[col.vrm] ?? '';
      const vrm = normaliseVrm(rawVrm);
      if (!vrm || vrm.length > 10)
        throw new RowProblem(mapping.vrm, `${JSON.stringify(rawVrm)} is not a vehicle registration`);
      const place = normaliseName(cells[col.place] ?? '');
      if (!place) throw new RowProblem(mapping.place, 'the camera or place is empty');
      const t = rowWhen(
        cells[col.time] ?? '',
        col.timeOfDay === undefined ? undefined : (cells[col.timeOfDay] ?? ''),
        whenColumns,
      );
      const properties: Properties = { camera: place };
      if (col.lat !== undefined) {
        const lat = coord(cells, 'lat', 90);
        const lon = coord(cells, 'lon', 180);
        if ((lat === undefined) !== (lon === undefined))
          throw new RowProblem(mapping.lat, 'give both latitude and longitude, or neither');
        if (lat !== undefined && lon !== undefined) {
          properties.lat = lat;
          properties.lon = lon;
        }
      }
      const placeKey = naturalKey('Location', place, properties);
      if (!places.has(placeKey)) places.set(placeKey, { label: place, properties });
      vehicles.add(vrm);
      const k = vrm + '\u0000' + placeKey;
      let g = sightings.get(k);
      if (!g) sightings.set(k, (g = { n: sightings.size, reads: 1, first: t, last: t }));
      else {
        g.reads++;
        if (t < g.first) g.first = t;
        if (t > g.last) g.last = t;
      }
      reads.add(g.n, Date.parse(t), null, null, place);
    },
    finish() {
      const entities: EntityInput[] = [
        ...[...vehicles].sort().map((v): EntityInput => ({
          type: 'Vehicle',
          label: displayVrm(v),
          key: v,
          properties: { vrm: v },
          reports,
        })),
        ...[...places.keys()].sort().map((k): EntityInput => {
          const p = places.get(k)!;
          return { type: 'Location', label: p.label, key: k, properties: p.properties, reports };
        }),
      ];
      const position = new Uint32Array(sightings.size);
      const links: LinkInput[] = [...sightings.keys()].sort().map((k, i) => {
        const [v, p] = k.split('\u0000');
        const g = sightings.get(k)!;
        position[g.n] = i;
        return {
          type: 'SIGHTED_AT',
          from: { type: 'Vehicle', key: v },
          to: { type: 'Location', key: p },
          weight: g.reads,
          firstSeen: g.first,
          lastSeen: g.last,
          properties: { reads: g.reads },
          reports,
        };
      });
      return { entities, links, events: reads.finish(position) };
    },
  };
}
