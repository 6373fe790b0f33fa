// A deterministic synthetic network modelled on a county-lines drugs operation, for demos, tests and benchmarks.
//
// Two or three organised crime groups (three here) each run "lines": a deal-line phone that customers call,
// worked by runners, managed by a lieutenant. Leaders are insulated: they speak only to their lieutenants,
// to brokers and to family, never to runners. Brokers join groups to each other and to a wholesale supplier.
// Members use burner phones that change over the year (USES with first/last seen); calls between phones
// carry counts (weight) and time spans; vehicles are caught by ANPR cameras (SIGHTED_AT locations with
// lat/lon); people reside at postcodes; money moves between accounts; a few graded events. Every fact cites
// intelligence reports whose gradings follow a realistic spread (most 2/B-C, some 1/A, a few 3/E).
//
// The same seed gives the same network (mulberry32, no Math.random). Numeric sizes are a target link count:
// lines are added until the count is reached, and the network is produced in chunks so a million links
// never sit in memory at once.
import type { EntityInput, EntityType, LinkInput, LinkType, ReportInput } from '../server/domain/model.ts';
import type { WriteBatch } from '../server/store/graph-store.ts';
import { createRng, type Rng } from './random.ts';
import { demoPostcodePlace } from './places.ts';
import { FIRST_NAMES, SURNAMES, STREETS, TOWNS, ROADS, GROUP_NAMES, BUSINESSES, OFFICERS } from './names.ts';

export interface GenerateOptions {
  seed: number;
  /** 'demo' (about 500 entities) or a target number of links (up to a million or so). */
  size?: 'demo' | number;
  /** Issue 8's hook: on the arrest date, group 1's leader and the first broker go, and named successors take over. */
  intervention?: boolean;
}

export interface GroupTruth {
  name: string;
  /** Natural key of the group's nominal organisation. */
  org: string;
  leader: string;
  lieutenants: string[];
  runners: string[];
  /** Keys of the deal-line phones. */
  lines: string[];
}

/** Who really matters in the generated network, by Person natural key (ids are added after a load). */
export interface GroundTruth {
  seed: number;
  size: 'demo' | number;
  leaders: string[];
  lieutenants: string[];
  brokers: string[];
  runners: string[];
  supplier: string;
  groups: GroupTruth[];
  /** Labels of the people named above, by key. */
  labels: Record<string, string>;
  /** Entity ids by key, filled in by loadSeed. */
  ids?: Record<string, string>;
  intervention?: {
    date: string;
    arrested: string[];
    /** Who takes over each arrested person's role, by key. */
    successors: Record<string, string>;
  };
  counts: { entities: number; links: number; reports: number };
}

export interface NetworkPlan {
  truth: GroundTruth;
  /** The network as write batches (reports first, then entities before the links that use them). */
  chunks(): Generator<WriteBatch>;
}

const DAYS = 366; // 2024
const YEAR0 = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const DATES: string[] = Array.from({ length: DAYS }, (_, d) =>
  new Date(YEAR0 + d * DAY_MS).toISOString().slice(0, 10),
);
const date = (d: number): string => DATES[Math.max(0, Math.min(DAYS - 1, Math.round(d)))];
export const ARREST_DAY = 182; // 2024-07-01

const DEMO_LINES = 8;
const RUNNERS_PER_LINE = 4;
const CUSTOMERS_PER_LINE = 16;

type Role = 'leader' | 'lieutenant' | 'broker' | 'runner' | 'customer' | 'supplier' | 'relative';
interface Period {
  key: string;
  from: number;
  to: number;
}
interface Member {
  key: string;
  label: string;
  role: Role;
  phones: Period[];
}

/** Plans the network for `opts`; nothing is generated until `chunks()` is iterated. */
export function planNetwork(opts: GenerateOptions, chunkLinks = 10_000): NetworkPlan {
  const size = opts.size ?? 'demo';
  if (size !== 'demo' && (!Number.isInteger(size) || size < 100)) {
    throw new Error(`size must be 'demo' or a whole number of links of at least 100 (got ${String(size)})`);
  }
  // A dry run fills in the truth (the same seed gives the same network, so the real run matches it).
  const truth = run(opts, size, chunkLinks, null);
  return { truth, chunks: () => generator(opts, size, chunkLinks) };
}

function* generator(opts: GenerateOptions, size: 'demo' | number, chunkLinks: number): Generator<WriteBatch> {
  // The generator pauses after each line; the chunks filled so far are handed on before it goes on.
  const queue: WriteBatch[] = [];
  const it = runIncremental(opts, size, chunkLinks, queue);
  for (;;) {
    const r = it.next();
    while (queue.length) yield queue.shift()!;
    if (r.done) break;
  }
}

function run(
  opts: GenerateOptions,
  size: 'demo' | number,
  chunkLinks: number,
  sink: WriteBatch[] | null,
): GroundTruth {
  const it = runIncremental(opts, size, chunkLinks, sink);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/** Generates the network; yields (nothing) after each line so the caller can take the chunks made so far. */
function* runIncremental(
  opts: GenerateOptions,
  size: 'demo' | number,
  chunkLinks: number,
  sink: WriteBatch[] | null,
): Generator<void, GroundTruth> {
  const rng: Rng = createRng(opts.seed);
  const seedTag = String(opts.seed);
  const target = size === 'demo' ? Infinity : size;
  const intervention = opts.intervention === true;

  let entities: EntityInput[] = [];
  let links: LinkInput[] = [];
  const counts = { entities: 0, links: 0, reports: 0 };
  const flush = (): void => {
    if (sink && (entities.length || links.length)) sink.push({ entities, links });
    entities = [];
    links = [];
  };
  const full = (): boolean => counts.links >= target;
  const ent = (e: EntityInput): void => {
    counts.entities++;
    if (sink) entities.push(e);
  };
  const link = (l: LinkInput): void => {
    if (full()) return;
    counts.links++;
    if (sink) {
      links.push(l);
      if (links.length >= chunkLinks) flush();
    }
  };

  // --- intelligence reports: a pool that facts cite.
  const nReports = size === 'demo' ? 60 : Math.max(60, Math.round(size / 40));
  const reports: ReportInput[] = [];
  const refs: string[] = [];
  for (let i = 0; i < nReports; i++) {
    const ref = `SEED${seedTag}-IR-${String(i + 1).padStart(6, '0')}`;
    const source = ([1, 2, 3] as const)[rng.weighted([20, 70, 10])];
    const intel =
      source === 1
        ? (['A', 'B', 'C'] as const)[rng.weighted([55, 35, 10])]
        : source === 2
          ? (['A', 'B', 'C', 'D'] as const)[rng.weighted([4, 46, 44, 6])]
          : (['C', 'D', 'E'] as const)[rng.weighted([25, 30, 45])];
    const conditional = rng.chance(0.1);
    const d = rng.int(0, DAYS - 1);
    reports.push({
      ref,
      date: date(d),
      author: rng.pick(OFFICERS),
      text: `Intelligence report ${ref}: ${rng.pick(REPORT_TEXTS)}`,
      source,
      intel,
      handling: conditional ? 'C' : 'P',
      ...(conditional ? { conditions: rng.pick(CONDITIONS) } : {}),
      reviewDate: date(d).replace('2024', rng.chance(0.5) ? '2025' : '2026'),
    });
    refs.push(ref);
  }
  counts.reports = reports.length;
  if (sink) sink.push({ reports });
  const cite = (): string[] => {
    const a = refs[Math.floor(rng.next() * refs.length)];
    if (!rng.chance(0.25)) return [a];
    const b = refs[Math.floor(rng.next() * refs.length)];
    return a === b ? [a] : [a, b];
  };

  // --- identifiers, unique by counter so natural keys never collide.
  let nPerson = 0;
  let nPhone = 0;
  let nVehicle = 0;
  let nPostcode = 0;
  let nAccount = 0;
  let nEvent = 0;
  const personKey = (): { key: string; pnc: string } => {
    const pnc = `${String(nPerson % 100).padStart(2, '0')}/${String(100000 + nPerson).padStart(6, '0')}${'ABCDEFGHJKLMNPQRSTUVWXYZ'[nPerson % 24]}`;
    nPerson++;
    return { key: `ref:PNC ${pnc}`, pnc: `PNC ${pnc}` };
  };
  const phoneNumber = (): { key: string; label: string } => {
    const n = String(100_000_000 + ((nPhone++ * 7_919 + opts.seed * 104_729) % 900_000_000)).slice(-9);
    const national = `07${n.slice(0, 3)} ${n.slice(3)}`;
    return { key: `+447${n}`, label: national };
  };
  const postcode = (): string => {
    const i = nPostcode++;
    const area = POSTCODE_AREAS[i % POSTCODE_AREAS.length];
    const district = 1 + (Math.floor(i / POSTCODE_AREAS.length) % 30);
    const sector = Math.floor(i / (POSTCODE_AREAS.length * 30)) % 10;
    const unit = Math.floor(i / (POSTCODE_AREAS.length * 300));
    const L = 'ABDEFGHJLNPQRSTUWXYZ';
    return `${area}${district} ${sector}${L[unit % 20]}${L[Math.floor(unit / 20) % 20]}`;
  };

  const labels: Record<string, string> = {};
  const addPerson = (role: Role, nPhones: number, extra: Record<string, string | number> = {}): Member => {
    const { key, pnc } = personKey();
    const label = `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
    const dob = `${rng.int(1965, 2007)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    ent({
      type: 'Person',
      label,
      key,
      properties: { externalRef: pnc, dob, role: roleLabel(role), ...extra },
      reports: cite(),
    });
    // Burner phones: the year is cut into consecutive periods, one phone each.
    const cuts = [0];
    for (let i = 1; i < nPhones; i++) cuts.push(rng.int(1, DAYS - 2));
    cuts.sort((a, b) => a - b);
    cuts.push(DAYS - 1);
    const phones: Period[] = [];
    for (let i = 0; i < nPhones; i++) {
      const p = phoneNumber();
      const burner = nPhones > 1;
      ent({
        type: 'Phone',
        label: p.label,
        key: p.key,
        properties: { number: p.key, kind: burner ? 'burner (pay as you go)' : 'contract' },
      });
      const from = cuts[i];
      const to = Math.max(from, cuts[i + 1] - (i + 1 < nPhones ? 1 : 0));
      phones.push({ key: p.key, from, to });
      link({
        type: 'USES',
        from: { type: 'Person', key },
        to: { type: 'Phone', key: p.key },
        firstSeen: date(from),
        lastSeen: date(to),
        reports: cite(),
      });
    }
    return { key, label, role, phones };
  };

  /** Calls between two people over [from, to]: one CALLED link per pair of their phones live at the same time. */
  const relate = (a: Member, b: Member, perDay: number, from = 0, to = DAYS - 1): void => {
    for (const pa of a.phones) {
      for (const pb of b.phones) {
        const s = Math.max(pa.from, pb.from, from);
        const e = Math.min(pa.to, pb.to, to);
        if (e < s) continue;
        const days = e - s + 1;
        const weight = Math.max(1, Math.round(perDay * days * (0.5 + rng.next())));
        const first = s + Math.floor(rng.next() * Math.min(7, days));
        const last = Math.max(first, e - Math.floor(rng.next() * Math.min(7, days)));
        link({
          type: 'CALLED',
          from: { type: 'Phone', key: pa.key },
          to: { type: 'Phone', key: pb.key },
          weight,
          firstSeen: date(first),
          lastSeen: date(last),
          properties: { calls: weight },
          reports: cite(),
        });
        if (rng.chance(0.4)) {
          const back = Math.max(1, Math.round(weight * (0.2 + 0.5 * rng.next())));
          link({
            type: 'CALLED',
            from: { type: 'Phone', key: pb.key },
            to: { type: 'Phone', key: pa.key },
            weight: back,
            firstSeen: date(first),
            lastSeen: date(last),
            properties: { calls: back },
            reports: cite(),
          });
        }
      }
    }
  };
  const personLink = (
    type: LinkType,
    a: string,
    bType: EntityType,
    b: string,
    extra: Partial<LinkInput> = {},
  ): void =>
    link({ type, from: { type: 'Person', key: a }, to: { type: bType, key: b }, reports: cite(), ...extra });

  const addAddress = (kind: string): string => {
    const pc = postcode();
    ent({
      type: 'Location',
      label: `${rng.int(1, 199)} ${rng.pick(STREETS)}, ${rng.pick(TOWNS)} ${pc}`,
      key: pc,
      // Coordinates by rule from the postcode (places.ts), so the map view places every address.
      properties: { postcode: pc, kind, ...demoPostcodePlace(pc) },
    });
    return pc;
  };
  const resides = (m: Member, kind = 'home address'): string => {
    const pc = addAddress(kind);
    personLink('RESIDES_AT', m.key, 'Location', pc, { firstSeen: date(rng.int(0, 60)) });
    return pc;
  };
  const addAccount = (owner: { type: 'Person' | 'Organisation'; key: string }, bank: string): string => {
    const sort = `${rng.int(10, 99)}${rng.int(10, 99)}${rng.int(10, 99)}`;
    const no = String(10_000_000 + nAccount++).slice(-8);
    const key = `${sort}${no}`;
    ent({
      type: 'Account',
      label: `${bank} ${sort.slice(0, 2)}-${sort.slice(2, 4)}-${sort.slice(4)} ${no}`,
      key,
      properties: { accountNumber: key, bank },
    });
    link({ type: 'OWNS', from: owner, to: { type: 'Account', key }, reports: cite() });
    return key;
  };
  const transfer = (a: string, b: string, perMonth: number, from = 0, to = DAYS - 1): void => {
    const months = Math.max(1, Math.round((to - from) / 30));
    const total = Math.round(perMonth * months * (0.5 + rng.next()));
    link({
      type: 'TRANSFERRED',
      from: { type: 'Account', key: a },
      to: { type: 'Account', key: b },
      weight: Math.max(1, rng.int(1, months * 2)),
      firstSeen: date(from + rng.int(0, 20)),
      lastSeen: date(to - rng.int(0, 20)),
      properties: { totalGbp: total },
      reports: cite(),
    });
  };

  // --- ANPR cameras along the roads between the cities and the county towns.
  const cameras: string[] = [];
  const addCamera = (): void => {
    const lat = 52.2 + rng.next() * 2.4;
    const lon = -2.9 + rng.next() * 2.6;
    const key = `${lat.toFixed(5)},${lon.toFixed(5)}`;
    ent({
      type: 'Location',
      label: `ANPR ${rng.pick(ROADS)} camera ${cameras.length + 1}`,
      key,
      properties: { lat: Number(lat.toFixed(5)), lon: Number(lon.toFixed(5)), kind: 'ANPR camera' },
    });
    cameras.push(key);
  };
  for (let i = 0; i < 12; i++) addCamera();
  const addVehicle = (users: Member[], owner: Member | null, route: number): string => {
    const L = 'ABCDEFGHJKLMNOPRSTUVWXY';
    const i = nVehicle++;
    const vrm = `${L[i % 23]}${L[Math.floor(i / 23) % 23]}${String(10 + (Math.floor(i / 529) % 90))} ${L[(i * 7) % 23]}${L[(i * 11 + 3) % 23]}${L[Math.floor(i / 12167) % 23]}`;
    const key = vrm.replace(/\s/g, '');
    ent({
      type: 'Vehicle',
      label: vrm,
      key,
      properties: { vrm: key, make: rng.pick(MAKES), colour: rng.pick(COLOURS) },
    });
    if (owner) personLink('OWNS', owner.key, 'Vehicle', key);
    for (const u of users) {
      const from = rng.int(0, 200);
      personLink('USES', u.key, 'Vehicle', key, {
        firstSeen: date(from),
        lastSeen: date(rng.int(from, DAYS - 1)),
      });
    }
    // Sightings on the vehicle's usual route: a run of neighbouring cameras.
    const n = rng.int(3, 6);
    for (let j = 0; j < n; j++) {
      const cam = cameras[(route + j) % cameras.length];
      const from = rng.int(0, 250);
      const weight = rng.int(1, 30);
      link({
        type: 'SIGHTED_AT',
        from: { type: 'Vehicle', key },
        to: { type: 'Location', key: cam },
        weight,
        firstSeen: date(from),
        lastSeen: date(Math.min(DAYS - 1, from + rng.int(0, 110))),
        properties: { sightings: weight },
        reports: cite(),
      });
    }
    return key;
  };
  const addEvent = (kind: string, gravity: number, involved: Member[], at: string, day: number): void => {
    const ref = `EV${seedTag}-${String(++nEvent).padStart(5, '0')}`;
    ent({
      type: 'Event',
      label: `${kind}, ${date(day)}`,
      key: `ref:${ref}`,
      properties: { reference: ref, kind, gravity, date: date(day) },
      reports: cite(),
    });
    link({
      type: 'OCCURRED_AT',
      from: { type: 'Event', key: `ref:${ref}` },
      to: { type: 'Location', key: at },
      reports: cite(),
    });
    for (const m of involved)
      personLink('INVOLVED_IN', m.key, 'Event', `ref:${ref}`, { firstSeen: date(day), lastSeen: date(day) });
  };

  // --- the groups, their leaders, brokers and supplier.
  // Two or three groups is the demo's picture; big networks are many such groups side by side, so that no
  // one person's degree grows with the size asked for.
  const nGroups = size === 'demo' ? 3 : Math.max(3, Math.round(size / 15_000));
  const supplier = addPerson('supplier', 2, { nationality: 'NL' });
  resides(supplier);
  const groups = Array.from({ length: nGroups }, (_, g) => {
    const base = GROUP_NAMES[(g + opts.seed) % GROUP_NAMES.length];
    const name = g < GROUP_NAMES.length ? base : `${base} ${Math.floor(g / GROUP_NAMES.length) + 1}`;
    const orgKey = `${name.toLowerCase()} ocg`;
    ent({
      type: 'Organisation',
      label: `${name} OCG`,
      key: orgKey,
      properties: { kind: 'organised crime group (nominal)' },
      reports: cite(),
    });
    const leader = addPerson('leader', rng.int(1, 2));
    const home = resides(leader);
    const companyNumber = String(10_000_000 + ((opts.seed * 1000 + g) % 90_000_000)).slice(-8);
    const business = `${rng.pick(SURNAMES)} ${rng.pick(BUSINESSES)} Ltd`;
    ent({
      type: 'Organisation',
      label: business,
      key: `co:${companyNumber}`,
      properties: { companyNumber, kind: 'front business' },
    });
    personLink('OWNS', leader.key, 'Organisation', `co:${companyNumber}`, { firstSeen: date(0) });
    const bizAccount = addAccount({ type: 'Organisation', key: `co:${companyNumber}` }, rng.pick(BANKS));
    const leaderAccount = addAccount({ type: 'Person', key: leader.key }, rng.pick(BANKS));
    transfer(bizAccount, leaderAccount, 8000);
    const relative = addPerson('relative', 1);
    link({
      type: 'RELATIVE_OF',
      from: { type: 'Person', key: leader.key },
      to: { type: 'Person', key: relative.key },
    });
    personLink('RESIDES_AT', relative.key, 'Location', home);
    relate(leader, relative, 0.4, 0, intervention && g === 0 ? ARREST_DAY : DAYS - 1);
    addVehicle([leader], leader, rng.int(0, cameras.length - 1));
    return {
      name,
      orgKey,
      leader,
      bizAccount,
      lieutenants: [] as { m: Member; account: string }[],
      runners: [] as Member[],
      lines: [] as string[],
      successor: null as Member | null,
    };
  });
  const intervene = intervention ? groups[0] : null;
  const leaderEnd = (g: (typeof groups)[number]): number => (g === intervene ? ARREST_DAY : DAYS - 1);

  const brokers: Member[] = [];
  const brokerLinks: { b: Member; groups: number[]; contacts: Map<number, number> }[] = [];
  for (let i = 0; i < nGroups - 1; i++) {
    const b = addPerson('broker', 2);
    resides(b);
    brokers.push(b);
    brokerLinks.push({ b, groups: [i, i + 1], contacts: new Map() });
    relate(b, supplier, 0.15, 0, i === 0 && intervention ? ARREST_DAY : DAYS - 1);
    for (const g of [i, i + 1])
      relate(
        groups[g].leader,
        b,
        0.08,
        0,
        Math.min(leaderEnd(groups[g]), i === 0 && intervention ? ARREST_DAY : DAYS - 1),
      );
  }
  // Issue 8: after the arrests, a named successor takes over each role.
  let successorBroker: Member | null = null;
  if (intervene) {
    successorBroker = addPerson('broker', 1, { note: 'appears after the July 2024 arrests' });
    resides(successorBroker);
    relate(successorBroker, supplier, 0.15, ARREST_DAY);
    relate(groups[1].leader, successorBroker, 0.08, ARREST_DAY);
  }

  const addLieutenant = (gi: number): { m: Member; account: string } => {
    const g = groups[gi];
    const m = addPerson('lieutenant', rng.int(2, 3));
    resides(m);
    if (rng.chance(0.5)) personLink('MEMBER_OF', m.key, 'Organisation', g.orgKey);
    relate(g.leader, m, 0.3, 0, leaderEnd(g));
    // A few peers each, not everyone: lieutenants work their own lines.
    const peers = g.lieutenants.length <= 3 ? g.lieutenants : [0, 1, 2].map(() => rng.pick(g.lieutenants));
    for (const o of new Set(peers)) if (rng.chance(0.6)) relate(m, o.m, 0.15);
    for (const bl of brokerLinks) {
      if (bl.groups.includes(gi) && (bl.contacts.get(gi) ?? 0) < 6 && rng.chance(0.7)) {
        bl.contacts.set(gi, (bl.contacts.get(gi) ?? 0) + 1);
        relate(bl.b, m, 0.1, 0, bl === brokerLinks[0] && intervention ? ARREST_DAY : DAYS - 1);
      }
    }
    if (successorBroker && gi <= 1 && rng.chance(0.7)) relate(successorBroker, m, 0.1, ARREST_DAY);
    if (g.successor) relate(g.successor, m, 0.3, ARREST_DAY);
    const account = addAccount({ type: 'Person', key: m.key }, rng.pick(BANKS));
    transfer(account, g.bizAccount, 3000);
    if (rng.chance(0.5)) addVehicle([m], m, rng.int(0, cameras.length - 1));
    const l = { m, account };
    g.lieutenants.push(l);
    return l;
  };
  for (let gi = 0; gi < nGroups; gi++) addLieutenant(gi);
  if (intervene) {
    // The first lieutenant steps up: the leader's contacts become theirs from the arrest on.
    const s = intervene.lieutenants[0].m;
    intervene.successor = s;
    for (const l of intervene.lieutenants) if (l.m !== s) relate(s, l.m, 0.3, ARREST_DAY);
    relate(s, successorBroker!, 0.08, ARREST_DAY);
  }
  yield;

  // --- lines, round-robin over the groups, until the size is reached.
  const nLines = size === 'demo' ? DEMO_LINES : Infinity;
  for (let line = 0; line < nLines && !full(); line++) {
    const gi = line % nGroups;
    const g = groups[gi];
    if (g.lines.length >= 2 * g.lieutenants.length) addLieutenant(gi);
    const lt = g.lieutenants[g.lines.length % g.lieutenants.length];
    const deal = phoneNumber();
    const lineName = `${rng.pick(LINE_NAMES)} line`;
    ent({
      type: 'Phone',
      label: deal.label,
      key: deal.key,
      properties: { number: deal.key, kind: `deal line (${lineName})` },
      reports: cite(),
    });
    g.lines.push(deal.key);
    const dealMember: Member = {
      key: '',
      label: lineName,
      role: 'runner',
      phones: [{ key: deal.key, from: 0, to: DAYS - 1 }],
    };
    relate(lt.m, dealMember, 0.2);
    const trap = addAddress('cuckooed address');
    const runners: Member[] = [];
    for (let r = 0; r < RUNNERS_PER_LINE && !full(); r++) {
      const m = addPerson('runner', rng.int(2, 4), { age: rng.int(15, 24) });
      runners.push(m);
      g.runners.push(m);
      const from = rng.int(0, 300);
      personLink('USES', m.key, 'Phone', deal.key, {
        firstSeen: date(from),
        lastSeen: date(rng.int(from, DAYS - 1)),
      });
      personLink('FREQUENTS', m.key, 'Location', trap, { firstSeen: date(from) });
      if (rng.chance(0.3)) personLink('MEMBER_OF', m.key, 'Organisation', g.orgKey);
      relate(lt.m, m, 0.4);
      for (const o of runners) if (o !== m && rng.chance(0.5)) relate(m, o, 0.25);
      if (rng.chance(0.2))
        transfer(lt.account, addAccount({ type: 'Person', key: m.key }, rng.pick(BANKS)), 400);
    }
    if (rng.chance(0.7)) addVehicle(runners.slice(0, 2), null, rng.int(0, cameras.length - 1));
    for (let c = 0; c < CUSTOMERS_PER_LINE && !full(); c++) {
      const p = personKey();
      const label = `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
      ent({ type: 'Person', label, key: p.key, properties: { externalRef: p.pnc, role: 'customer' } });
      const ph = phoneNumber();
      ent({ type: 'Phone', label: ph.label, key: ph.key, properties: { number: ph.key } });
      personLink('USES', p.key, 'Phone', ph.key);
      const from = rng.int(0, 330);
      const weight = rng.int(1, 40);
      link({
        type: 'CALLED',
        from: { type: 'Phone', key: ph.key },
        to: { type: 'Phone', key: deal.key },
        weight,
        firstSeen: date(from),
        lastSeen: date(Math.min(DAYS - 1, from + rng.int(0, 90))),
        properties: { calls: weight },
        reports: cite(),
      });
      if (rng.chance(0.3))
        personLink('RESIDES_AT', p.key, 'Location', rng.chance(0.3) ? trap : addAddress('home address'));
    }
    if (line % 2 === 1 && !full()) {
      const kinds = EVENT_KINDS[rng.int(0, EVENT_KINDS.length - 1)];
      addEvent(
        kinds[0],
        rng.int(kinds[1], kinds[2]),
        runners.slice(0, rng.int(1, 2)),
        trap,
        rng.int(10, DAYS - 10),
      );
    }
    if (line % 3 === 2) addCamera();
    yield;
  }
  flush();

  const key = (m: Member): string => m.key;
  const people = [
    supplier,
    ...brokers,
    ...groups.flatMap((g) => [g.leader, ...g.lieutenants.map((l) => l.m), ...g.runners]),
  ];
  if (successorBroker) people.push(successorBroker);
  for (const m of people) labels[m.key] = m.label;
  return {
    seed: opts.seed,
    size,
    leaders: groups.map((g) => g.leader.key),
    lieutenants: groups.flatMap((g) => g.lieutenants.map((l) => l.m.key)),
    brokers: brokers.map(key),
    runners: groups.flatMap((g) => g.runners.map(key)),
    supplier: supplier.key,
    groups: groups.map((g) => ({
      name: `${g.name} OCG`,
      org: g.orgKey,
      leader: g.leader.key,
      lieutenants: g.lieutenants.map((l) => l.m.key),
      runners: g.runners.map(key),
      lines: g.lines,
    })),
    labels,
    ...(intervene && successorBroker
      ? {
          intervention: {
            date: date(ARREST_DAY),
            arrested: [intervene.leader.key, brokers[0].key],
            successors: {
              [intervene.leader.key]: intervene.successor!.key,
              [brokers[0].key]: successorBroker.key,
            },
          },
        }
      : {}),
    counts,
  };
}

/** The whole network as one batch and its ground truth. For big sizes prefer `planNetwork(...).chunks()`. */
export function generateNetwork(opts: GenerateOptions): { batch: WriteBatch; truth: GroundTruth } {
  const plan = planNetwork(opts, Number.MAX_SAFE_INTEGER);
  const batch: Required<Omit<WriteBatch, 'events'>> = { reports: [], entities: [], links: [] };
  for (const c of plan.chunks()) {
    if (c.reports) batch.reports.push(...c.reports);
    if (c.entities) for (const e of c.entities) batch.entities.push(e);
    if (c.links) for (const l of c.links) batch.links.push(l);
  }
  return { batch, truth: plan.truth };
}

function roleLabel(r: Role): string {
  return r === 'customer' ? 'customer' : r === 'relative' ? 'family' : `suspected ${r}`;
}

const POSTCODE_AREAS = [
  'L',
  'M',
  'LS',
  'B',
  'WV',
  'ST',
  'SK',
  'CW',
  'CH',
  'LL',
  'SY',
  'TF',
  'DE',
  'NG',
  'S',
  'BD',
];
const BANKS = ['Barclays', 'Lloyds', 'NatWest', 'HSBC', 'Santander', 'Monzo', 'Starling', 'Nationwide'];
const MAKES = [
  'Audi A3',
  'VW Golf',
  'BMW 1 Series',
  'Ford Fiesta',
  'Mercedes A-Class',
  'Toyota Yaris',
  'Vauxhall Corsa',
];
const COLOURS = ['black', 'grey', 'silver', 'white', 'blue', 'red'];
const LINE_NAMES = [
  'Dutch',
  'Rico',
  'Bando',
  'Kash',
  'Jay',
  'Mitch',
  'Lucky',
  'Zed',
  'Benz',
  'Tiny',
  'Nino',
  'Duke',
];
const EVENT_KINDS: [string, number, number][] = [
  ['Drugs seizure', 4, 7],
  ['Stabbing', 7, 10],
  ['Robbery', 5, 8],
  ['Firearms discharge', 8, 10],
  ['Assault', 3, 6],
  ['Cuckooing report', 4, 6],
];
const REPORT_TEXTS = [
  'subject seen collecting cash from a known address',
  'deal-line number in use; calls peak in the evening',
  'vehicle used to ferry runners between city and county town',
  'subject described as giving instructions to younger males',
  'money moved through a business account in small amounts',
  'vulnerable adult reports their flat is used to deal from',
  'new handset bought with cash, previous number dropped',
  'subject believed to be the main contact for supply',
];
const CONDITIONS = [
  'Not to be disclosed outside the investigation team without the SIO\u2019s consent',
  'Source protection: do not action without reference to the dedicated source unit',
  'For intelligence purposes only; not to be used as evidence',
];
