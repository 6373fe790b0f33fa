// British National Grid to WGS84 against PROJ (test/reference/osgb_expectations.py writes the expected
// values with pyproj and the same Helmert parameters), and the inverse projection against the Ordnance
// Survey's own worked example.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gridToOsgb36, gridToWgs84 } from '../../server/geo/osgb.ts';

const expected = JSON.parse(
  readFileSync(new URL('./osgb-expectations.json', import.meta.url), 'utf8'),
) as Array<{
  easting: number;
  northing: number;
  lat: number;
  lon: number;
}>;

const dms = (rad: number): [number, number, number] => {
  const d = Math.abs((rad * 180) / Math.PI);
  const deg = Math.floor(d);
  const min = Math.floor((d - deg) * 60);
  return [deg, min, (d - deg - min / 60) * 3600];
};

describe('British National Grid to latitude and longitude', () => {
  it("matches the OS guide's worked example of the inverse projection (annex C) to 0.0001 arc seconds", () => {
    const [lat, lon] = gridToOsgb36(651409.903, 313177.27);
    const [ld, lm, ls] = dms(lat);
    const [od, om, os] = dms(lon);
    expect([ld, lm]).toEqual([52, 39]);
    expect(ls).toBeCloseTo(27.2531, 4);
    expect([od, om]).toEqual([1, 43]);
    expect(os).toBeCloseTo(4.5177, 4);
  });

  it('agrees with PROJ to a centimetre across Great Britain', () => {
    expect(expected.length).toBeGreaterThan(5);
    for (const p of expected) {
      const [lat, lon] = gridToWgs84(p.easting, p.northing);
      // 1e-7 degrees is about 1 cm.
      expect(Math.abs(lat - p.lat), `${p.easting},${p.northing} latitude`).toBeLessThan(1e-7);
      expect(Math.abs(lon - p.lon), `${p.easting},${p.northing} longitude`).toBeLessThan(1e-7);
    }
  });
});
