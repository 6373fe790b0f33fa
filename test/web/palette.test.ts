// The chart's colours stay apart for the analysts who read them: every pair of link-type colours, of
// entity-type colours and of community colours differs by a visible CIEDE2000 distance in normal vision and
// under simulated deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009, severity 1), and the
// link types the issue names (uses and called; the reds) are apart.
import { describe, expect, it } from 'vitest';
import { LINK_TYPES, ENTITY_TYPES } from '../../server/domain/model.ts';
import {
  COMMUNITY_PALETTE,
  LINK_COLOURS,
  MAX_COMMUNITY_STYLES,
  OTHER_COMMUNITY,
  TYPE_COLOURS,
  communityStyles,
} from '../../web/src/graph/style.ts';

type Vec = [number, number, number];

const toLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c: number): number =>
  c <= 0.0031308 ? 12.92 * c : 1.055 * Math.max(0, c) ** (1 / 2.4) - 0.055;

function hexToLinear(hex: string): Vec {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => toLinear(v / 255)) as Vec;
}

const MATRICES: Record<string, number[][] | null> = {
  normal: null,
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
};

function simulate(rgb: Vec, m: number[][] | null): Vec {
  if (!m) return rgb;
  return m.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]))) as Vec;
}

function lab(rgbLinear: Vec): Vec {
  // Round-trip through gamma so the clamp above acts on displayable colours.
  const [r, g, b] = rgbLinear.map((c) => toLinear(toGamma(c)));
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIEDE2000 colour difference. */
function deltaE2000([L1, a1, b1]: Vec, [L2, a2, b2]: Vec): number {
  const rad = Math.PI / 180;
  const C1 = Math.hypot(a1, b1);
  const C2 = Math.hypot(a2, b2);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const h = (a: number, b: number): number => {
    if (a === 0 && b === 0) return 0;
    const d = Math.atan2(b, a) / rad;
    return d < 0 ? d + 360 : d;
  };
  const h1p = h(a1p, b1);
  const h2p = h(a2p, b2);
  const dLp = L2 - L1;
  const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const Lmp = (L1 + L2) / 2;
  const Cmp = (C1p + C2p) / 2;
  let hmp = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) > 180) hmp = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
    else hmp = (h1p + h2p) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hmp - 30) * rad) +
    0.24 * Math.cos(2 * hmp * rad) +
    0.32 * Math.cos((3 * hmp + 6) * rad) -
    0.2 * Math.cos((4 * hmp - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hmp - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cmp ** 7 / (Cmp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lmp - 50) ** 2) / Math.sqrt(20 + (Lmp - 50) ** 2);
  const Sc = 1 + 0.045 * Cmp;
  const Sh = 1 + 0.015 * Cmp * T;
  const Rt = -Math.sin(2 * dTheta * rad) * Rc;
  return Math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh));
}

function distance(a: string, b: string, vision: string): number {
  const m = MATRICES[vision];
  return deltaE2000(lab(simulate(hexToLinear(a), m)), lab(simulate(hexToLinear(b), m)));
}

/** The closest pair of a set of colours for one kind of vision. */
function closest(colours: Record<string, string>, vision: string): { pair: string; d: number } {
  const names = Object.keys(colours);
  let best = { pair: '', d: Infinity };
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const d = distance(colours[names[i]], colours[names[j]], vision);
      if (d < best.d) best = { pair: `${names[i]} / ${names[j]}`, d };
    }
  return best;
}

// CIEDE2000 of about 2 is "just noticeable" side by side; thin lines and small discs need a good deal more.
const NORMAL_MIN = 12;
const CVD_MIN = 6;

describe('chart palette', () => {
  it('link types differ from each other for normal and colour-blind vision', () => {
    expect(Object.keys(LINK_COLOURS).sort()).toEqual([...LINK_TYPES].sort());
    for (const vision of Object.keys(MATRICES)) {
      const c = closest(LINK_COLOURS, vision);
      expect(c.d, `${vision}: ${c.pair}`).toBeGreaterThanOrEqual(vision === 'normal' ? NORMAL_MIN : CVD_MIN);
    }
  });

  it('uses and called differ, and the reddish link types are not near-identical', () => {
    for (const vision of Object.keys(MATRICES))
      expect(distance(LINK_COLOURS.USES, LINK_COLOURS.CALLED, vision)).toBeGreaterThan(15);
    // The three link types that were near-identical reds.
    const reds = ['RESIDES_AT', 'FREQUENTS', 'OCCURRED_AT'] as const;
    for (let i = 0; i < reds.length; i++)
      for (let j = i + 1; j < reds.length; j++)
        expect(distance(LINK_COLOURS[reds[i]], LINK_COLOURS[reds[j]], 'normal')).toBeGreaterThan(20);
  });

  it('entity types differ from each other', () => {
    expect(Object.keys(TYPE_COLOURS).sort()).toEqual([...ENTITY_TYPES].sort());
    for (const vision of Object.keys(MATRICES)) {
      const c = closest(TYPE_COLOURS, vision);
      expect(c.d, `${vision}: ${c.pair}`).toBeGreaterThanOrEqual(vision === 'normal' ? NORMAL_MIN : CVD_MIN);
    }
  });

  it('community colours differ from each other and from the "other" grey', () => {
    const set = Object.fromEntries([...COMMUNITY_PALETTE, OTHER_COMMUNITY].map((c, i) => [String(i), c]));
    for (const vision of Object.keys(MATRICES)) {
      const c = closest(set, vision);
      expect(c.d, `${vision}: ${c.pair}`).toBeGreaterThanOrEqual(vision === 'normal' ? NORMAL_MIN : CVD_MIN);
    }
  });

  it('gives the largest communities the palette in order, then ringed discs, then grey', () => {
    const communities: Record<string, number> = {};
    // Community k has 40 - k members, so rank k is community k.
    for (let k = 0; k < 30; k++) for (let i = 0; i < 40 - k; i++) communities[`n${k}-${i}`] = k;
    const styles = communityStyles(communities);
    expect(styles.get(0)).toMatchObject({ rank: 0, size: 40, fill: COMMUNITY_PALETTE[0], ring: null });
    expect(styles.get(12)).toMatchObject({ rank: 12, fill: COMMUNITY_PALETTE[0], ring: expect.any(String) });
    expect(styles.get(MAX_COMMUNITY_STYLES)).toMatchObject({ fill: OTHER_COMMUNITY, ring: null });
    const keys = new Set(
      [...styles.values()].filter((s) => s.rank < MAX_COMMUNITY_STYLES).map((s) => `${s.fill}${s.ring}`),
    );
    expect(keys.size).toBe(MAX_COMMUNITY_STYLES);
  });
});
