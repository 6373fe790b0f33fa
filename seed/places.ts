// Where the demo's postcodes are. The demo postcodes are made up (area + district + sector + unit), so they
// are placed by rule, not looked up: each postcode area at its main town, its districts on a spiral a few
// kilometres out, sectors and units a few hundred metres around the district. Pure arithmetic on the
// postcode's parts, never the seed's random stream, so adding coordinates changed no other seeded value.

/** Main town of each demo postcode area (WGS84 latitude, longitude; rounded to about 100 m). */
export const POSTCODE_AREA_TOWNS: Readonly<Record<string, { town: string; lat: number; lon: number }>> = {
  L: { town: 'Liverpool', lat: 53.408, lon: -2.978 },
  M: { town: 'Manchester', lat: 53.48, lon: -2.242 },
  LS: { town: 'Leeds', lat: 53.797, lon: -1.548 },
  B: { town: 'Birmingham', lat: 52.481, lon: -1.899 },
  WV: { town: 'Wolverhampton', lat: 52.586, lon: -2.129 },
  ST: { town: 'Stoke-on-Trent', lat: 53.003, lon: -2.18 },
  SK: { town: 'Stockport', lat: 53.408, lon: -2.149 },
  CW: { town: 'Crewe', lat: 53.098, lon: -2.441 },
  CH: { town: 'Chester', lat: 53.191, lon: -2.891 },
  LL: { town: 'Wrexham', lat: 53.046, lon: -2.993 },
  SY: { town: 'Shrewsbury', lat: 52.708, lon: -2.754 },
  TF: { town: 'Telford', lat: 52.677, lon: -2.449 },
  DE: { town: 'Derby', lat: 52.922, lon: -1.476 },
  NG: { town: 'Nottingham', lat: 52.954, lon: -1.158 },
  S: { town: 'Sheffield', lat: 53.381, lon: -1.47 },
  BD: { town: 'Bradford', lat: 53.796, lon: -1.759 },
};

const GOLDEN_ANGLE = 2.399963229728653;

/**
 * Latitude and longitude (5 decimals, about 1 m) of a demo postcode "AREA<district> <sector><unit>", or null
 * for a postcode of an area the demo does not use.
 */
export function demoPostcodePlace(postcode: string): { lat: number; lon: number } | null {
  const m = /^([A-Z]{1,2})(\d{1,2}) (\d)([A-Z]{2})$/.exec(postcode);
  if (!m) return null;
  const town = POSTCODE_AREA_TOWNS[m[1]];
  if (!town) return null;
  const district = Number(m[2]);
  const sector = Number(m[3]);
  const unit = m[4].charCodeAt(0) * 26 + m[4].charCodeAt(1);
  // District centres on a sunflower spiral up to ~9 km from the town centre.
  const dr = 0.012 + 0.07 * Math.sqrt(district / 30);
  const da = district * GOLDEN_ANGLE;
  // Sectors ~1 km, units ~300 m around it.
  const sr = 0.006 * Math.sqrt(sector + 1);
  const sa = sector * GOLDEN_ANGLE + district;
  const ur = 0.0025 * (((unit * 7) % 11) / 11);
  const ua = unit * GOLDEN_ANGLE;
  const dLat = dr * Math.sin(da) + sr * Math.sin(sa) + ur * Math.sin(ua);
  const dLon = dr * Math.cos(da) + sr * Math.cos(sa) + ur * Math.cos(ua);
  // A degree of longitude is shorter than one of latitude this far north.
  const lonScale = 1 / Math.cos((town.lat * Math.PI) / 180);
  return {
    lat: Number((town.lat + dLat).toFixed(5)),
    lon: Number((town.lon + dLon * lonScale).toFixed(5)),
  };
}
