// British National Grid (OSGB36 eastings and northings, as in Code-Point Open) to WGS84 latitude and
// longitude, by the Ordnance Survey's formulas ("A guide to coordinate systems in Great Britain", annex C:
// inverse transverse Mercator on the Airy 1830 ellipsoid, then the 7-parameter Helmert shift to WGS84).
// The Helmert shift is good to about 5 m, far below what a postcode's centroid means on a chart.

const AIRY = { a: 6377563.396, b: 6356256.909 };
const WGS84 = { a: 6378137, b: 6356752.3141 };
const F0 = 0.9996012717;
const LAT0 = (49 * Math.PI) / 180;
const LON0 = (-2 * Math.PI) / 180;
const E0 = 400000;
const N0 = -100000;
const SEC = Math.PI / (180 * 3600);
// OSGB36 -> WGS84 (the inverse of the OS's published WGS84 -> OSGB36 parameters).
const HELMERT = {
  tx: 446.448,
  ty: -125.157,
  tz: 542.06,
  s: -20.4894e-6,
  rx: 0.1502 * SEC,
  ry: 0.247 * SEC,
  rz: 0.8421 * SEC,
};

/** Inverse transverse Mercator: grid to OSGB36 latitude and longitude, in radians. */
export function gridToOsgb36(easting: number, northing: number): [number, number] {
  const { a, b } = AIRY;
  const e2 = 1 - (b * b) / (a * a);
  const n = (a - b) / (a + b);
  const n2 = n * n;
  const n3 = n2 * n;
  let lat = LAT0;
  let M = 0;
  do {
    lat = (northing - N0 - M) / (a * F0) + lat;
    const d = lat - LAT0;
    const s = lat + LAT0;
    M =
      b *
      F0 *
      ((1 + n + 1.25 * n2 + 1.25 * n3) * d -
        (3 * n + 3 * n2 + (21 / 8) * n3) * Math.sin(d) * Math.cos(s) +
        ((15 / 8) * n2 + (15 / 8) * n3) * Math.sin(2 * d) * Math.cos(2 * s) -
        (35 / 24) * n3 * Math.sin(3 * d) * Math.cos(3 * s));
  } while (Math.abs(northing - N0 - M) >= 0.00001);
  const sin = Math.sin(lat);
  const nu = (a * F0) / Math.sqrt(1 - e2 * sin * sin);
  const rho = (a * F0 * (1 - e2)) / Math.pow(1 - e2 * sin * sin, 1.5);
  const eta2 = nu / rho - 1;
  const t = Math.tan(lat);
  const t2 = t * t;
  const t4 = t2 * t2;
  const t6 = t4 * t2;
  const sec = 1 / Math.cos(lat);
  const nu3 = nu * nu * nu;
  const nu5 = nu3 * nu * nu;
  const nu7 = nu5 * nu * nu;
  const VII = t / (2 * rho * nu);
  const VIII = (t / (24 * rho * nu3)) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2);
  const IX = (t / (720 * rho * nu5)) * (61 + 90 * t2 + 45 * t4);
  const X = sec / nu;
  const XI = (sec / (6 * nu3)) * (nu / rho + 2 * t2);
  const XII = (sec / (120 * nu5)) * (5 + 28 * t2 + 24 * t4);
  const XIIA = (sec / (5040 * nu7)) * (61 + 662 * t2 + 1320 * t4 + 720 * t6);
  const dE = easting - E0;
  const dE2 = dE * dE;
  return [
    lat - VII * dE2 + VIII * dE2 * dE2 - IX * dE2 * dE2 * dE2,
    LON0 + X * dE - XI * dE2 * dE + XII * dE2 * dE2 * dE - XIIA * dE2 * dE2 * dE2 * dE,
  ];
}

function toCartesian(lat: number, lon: number, e: { a: number; b: number }): [number, number, number] {
  const e2 = 1 - (e.b * e.b) / (e.a * e.a);
  const sin = Math.sin(lat);
  const nu = e.a / Math.sqrt(1 - e2 * sin * sin);
  return [nu * Math.cos(lat) * Math.cos(lon), nu * Math.cos(lat) * Math.sin(lon), nu * (1 - e2) * sin];
}

function fromCartesian(x: number, y: number, z: number, e: { a: number; b: number }): [number, number] {
  const e2 = 1 - (e.b * e.b) / (e.a * e.a);
  const p = Math.hypot(x, y);
  let lat = Math.atan2(z, p * (1 - e2));
  for (let i = 0; i < 10; i++) {
    const sin = Math.sin(lat);
    const nu = e.a / Math.sqrt(1 - e2 * sin * sin);
    const next = Math.atan2(z + e2 * nu * sin, p);
    if (Math.abs(next - lat) < 1e-12) {
      lat = next;
      break;
    }
    lat = next;
  }
  return [lat, Math.atan2(y, x)];
}

/** Grid reference (metres) to WGS84 [latitude, longitude] in degrees. */
export function gridToWgs84(easting: number, northing: number): [number, number] {
  const [lat, lon] = gridToOsgb36(easting, northing);
  const [x, y, z] = toCartesian(lat, lon, AIRY);
  const { tx, ty, tz, s, rx, ry, rz } = HELMERT;
  const x2 = tx + (1 + s) * x - rz * y + ry * z;
  const y2 = ty + rz * x + (1 + s) * y - rx * z;
  const z2 = tz - ry * x + rx * y + (1 + s) * z;
  const [lat2, lon2] = fromCartesian(x2, y2, z2, WGS84);
  return [(lat2 * 180) / Math.PI, (lon2 * 180) / Math.PI];
}
