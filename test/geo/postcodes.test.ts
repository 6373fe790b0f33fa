// The postcode table: loading the ONS Postcode Directory and Code-Point Open layouts from real files into a
// real SQLite file, row errors with their lines, the caps, a failed load leaving the old table, and the
// lookups the map makes.
import { createReadStream, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOAD_DEFAULTS,
  PostcodeLoadError,
  detectLayout,
  loadPostcodes,
} from '../../server/geo/load-postcodes.ts';
import { PostcodeTable } from '../../server/geo/postcode-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-postcodes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The ONSPD's first columns and its position columns, in its order. SW1A 1AA's row holds its real grid
// reference and lat/long; the others are made up in the same shape.
const ONSPD_HEADER =
  'pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,lat,long';
const onspd = [
  ONSPD_HEADER,
  '"SW1A1AA","SW1A 1AA","SW1A 1AA","199001","","E99999999","E99999999","E09000033","E05013806","E43000236","1","529090","179645","1",51.501009,-0.141588',
  '"M1  1AE","M1  1AE","M1 1AE","198001","","E99999999","E99999999","E08000003","E05011376","E43000157","0","384302","398256","1",53.481015,-2.236925',
  // No grid reference: the ONSPD's 99.999999 marker, not an error.
  '"ZZ991ZZ","ZZ99 1ZZ","ZZ99 1ZZ","198001","","","","","","","0","","","9",99.999999,0.000000',
  // Errors: not a postcode; a latitude that is text; a position in France.
  '"NOTAPC","NOTAPC","NOT A PC","198001","","","","","","","0","1","1","1",51.5,-0.1',
  '"L1  8JQ","L1  8JQ","L1 8JQ","198001","","","","","","","0","","","1",abc,-2.98',
  '"CT161AA","CT161AA","CT16 1AA","198001","","","","","","","0","","","1",48.85,2.35',
].join('\n');

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('loading a postcode table', () => {
  const dest = join(dir, 'postcodes.sqlite');

  it('reads the ONS Postcode Directory layout, counting rows without a position and listing bad rows by line', async () => {
    const report = await loadPostcodes(createReadStream(file('onspd.csv', onspd)), dest, 'onspd.csv');
    expect(report.layout).toBe('ONS Postcode Directory');
    expect(report.loaded).toBe(2);
    expect(report.withoutPosition).toBe(1);
    expect(report.errorCount).toBe(3);
    expect(report.errors).toEqual([
      { line: 5, message: '"NOT A PC" is not a whole UK postcode' },
      { line: 6, message: 'latitude "abc" and longitude "-2.98" are not both numbers' },
      { line: 7, message: 'latitude 48.85 and longitude 2.35 are outside the United Kingdom' },
    ]);
    const table = new PostcodeTable(dest);
    expect(table.info()).toMatchObject({ rows: 2, source: 'onspd.csv', layout: 'ONS Postcode Directory' });
    // Any spelling of a postcode finds it; unknown and malformed ones are left out.
    expect(table.lookup(['sw1a1aa', 'M1 1AE', 'M1  1AE', 'B1 1AA', 'rubbish'])).toEqual([
      { postcode: 'SW1A 1AA', lat: 51.501009, lon: -0.141588 },
      { postcode: 'M1 1AE', lat: 53.481015, lon: -2.236925 },
    ]);
    table.close();
  });

  it('reads Code-Point Open (no header, British National Grid) and places it as the ONSPD does', async () => {
    const cpo = [
      '"SW1A1AA",10,529090,179645,"E92000001","E19000003","E18000007","","E09000033","E05013806"',
      '"M1  1AE",10,384302,398256,"E92000001","E19000001","E18000002","","E08000003","E05011376"',
      '"XX1 9ZZ",90,0,0,"","","","","",""',
    ].join('\r\n');
    const dest2 = join(dir, 'cpo.sqlite');
    const report = await loadPostcodes(createReadStream(file('cpo.csv', cpo)), dest2, 'cpo.csv');
    expect(report).toMatchObject({ layout: 'Code-Point Open', loaded: 2, withoutPosition: 1, errorCount: 0 });
    const table = new PostcodeTable(dest2);
    const [sw, m] = table.lookup(['SW1A 1AA', 'M1 1AE']);
    // The ONSPD's own lat/long for the same grid reference, to its 6 decimals.
    expect(sw.lat).toBeCloseTo(51.501009, 6);
    expect(sw.lon).toBeCloseTo(-0.141588, 6);
    // Central Manchester.
    expect(m.lat).toBeGreaterThan(53.47);
    expect(m.lat).toBeLessThan(53.49);
    expect(m.lon).toBeGreaterThan(-2.25);
    expect(m.lon).toBeLessThan(-2.22);
    table.close();
  });

  it('names what it expected when the layout is unknown', async () => {
    expect(detectLayout(['name', 'town'])).toMatch(/neither an ONS Postcode Directory CSV/);
    expect(detectLayout(['pcds', 'county'])).toMatch(/no lat and long/);
    await expect(
      loadPostcodes(
        createReadStream(file('other.csv', 'name,town\nA,B\n')),
        join(dir, 'x.sqlite'),
        'other.csv',
      ),
    ).rejects.toThrow(/line 1: the file is neither/);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });

  it('stops past the row cap and the byte cap, and a failed load leaves the loaded table as it was', async () => {
    const before = new PostcodeTable(dest).info();
    await expect(
      loadPostcodes(createReadStream(join(dir, 'onspd.csv')), dest, 'again.csv', {
        ...LOAD_DEFAULTS,
        maxRows: 3,
      }),
    ).rejects.toThrow(/more than 3 rows/);
    await expect(
      loadPostcodes(createReadStream(join(dir, 'onspd.csv')), dest, 'again.csv', {
        ...LOAD_DEFAULTS,
        maxBytes: 300,
      }),
    ).rejects.toThrow(PostcodeLoadError);
    const after = new PostcodeTable(dest);
    expect(after.info()).toEqual(before);
    expect(after.lookup(['SW1A 1AA'])).toHaveLength(1);
    after.close();
    expect(existsSync(`${dest}.loading-${process.pid}`)).toBe(false);
  });

  it('streams a large file: 120,000 generated rows load without holding the file', async () => {
    // A generator, so the file never exists whole in memory either side.
    const letters = 'ABDEFGHJLNPQRSTUWXYZ';
    function* rows(): Generator<string> {
      yield `${ONSPD_HEADER}\n`;
      for (let i = 0; i < 120_000; i++) {
        const pc = `B${1 + (i % 99)} ${Math.floor(i / 99) % 10}${letters[Math.floor(i / 990) % 20]}${letters[Math.floor(i / 19800) % 20]}`;
        yield `"${pc}","${pc}","${pc}","1","","","","","","","0","","","1",${(52 + (i % 1000) / 1000).toFixed(6)},${(-1.9).toFixed(6)}\n`;
      }
    }
    const big = join(dir, 'big.sqlite');
    const report = await loadPostcodes(Readable.from(rows()), big, 'generated');
    expect(report.errorCount).toBe(0);
    // 99 districts x 10 sectors x 20 x 20 units = 396,000 distinct: every row is its own postcode.
    expect(report.loaded).toBe(120_000);
    const t = new PostcodeTable(big);
    expect(t.lookup(['B1 0AA'])).toEqual([{ postcode: 'B1 0AA', lat: 52, lon: -1.9 }]);
    t.close();
  }, 60_000);
});
