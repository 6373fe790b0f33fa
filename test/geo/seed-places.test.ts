// The demo network's addresses have coordinates: each within ~12 km of its postcode area's main town, in
// Britain, the same on every run, and spread (not a heap).
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../seed/generate.ts';
import { POSTCODE_AREA_TOWNS, demoPostcodePlace } from '../../seed/places.ts';

const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number => {
  const dy = (a.lat - b.lat) * 111.2;
  const dx = (a.lon - b.lon) * 111.2 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dx, dy);
};

describe('demo addresses on the map', () => {
  const { batch } = generateNetwork({ seed: 7, size: 'demo' });
  const addresses = batch.entities!.filter((e) => e.type === 'Location' && e.properties?.postcode);

  it('gives every postcode address a place near its area town', () => {
    expect(addresses.length).toBeGreaterThan(40);
    for (const a of addresses) {
      const p = a.properties as { postcode: string; lat: number; lon: number };
      const area = /^[A-Z]+/.exec(p.postcode)![0];
      const town = POSTCODE_AREA_TOWNS[area];
      expect(town, p.postcode).toBeDefined();
      expect(km(p, town), p.postcode).toBeLessThan(12);
      expect(p).toMatchObject(demoPostcodePlace(p.postcode)!);
    }
  });

  it('spreads them: few share a spot, and they cover the demo region', () => {
    const spots = new Set(addresses.map((a) => `${a.properties!.lat},${a.properties!.lon}`));
    expect(spots.size).toBeGreaterThan(addresses.length * 0.9);
    const lats = addresses.map((a) => a.properties!.lat as number);
    expect(Math.max(...lats) - Math.min(...lats)).toBeGreaterThan(0.8);
  });

  it('is the same network on every run', () => {
    const again = generateNetwork({ seed: 7, size: 'demo' }).batch.entities!.filter(
      (e) => e.type === 'Location' && e.properties?.postcode,
    );
    expect(again).toEqual(addresses);
  });
});
