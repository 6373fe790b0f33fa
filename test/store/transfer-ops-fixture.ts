// A store holding two operations that share subjects, for the transfer tests: open KESTREL and closed HALYARD
// share two phones and a car (so deconfliction notices exist), each writing its own properties, reports and
// calls, each as an import whose run records its operation; HALYARD also keeps a chart, an annotation and a
// draft of its own. `scopedReads` is what a reader of a
// scope sees of it, so a test can compare a transferred store with its source as a user would meet them.
import type { EventColumns } from '../../server/domain/events.ts';
import type { ReadScope } from '../../server/domain/operations.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { P, T, person, phone, report } from '../contract/fixtures.ts';

const V = (key: string) => ({ type: 'Vehicle' as const, key });

/** Calls on link index `link` of a batch at the given times, 60 s each. */
function calls(link: number, times: string[]): EventColumns {
  const n = times.length;
  return {
    kind: 'call',
    count: n,
    link: Uint32Array.from(times.map(() => link)),
    atMs: Float64Array.from(times.map((t) => Date.parse(t))),
    duration: Float64Array.from(times.map(() => 60)),
    direction: new Uint8Array(n),
    place: Int32Array.from(times.map(() => -1)),
    places: [],
  };
}

const kestrel = (): WriteBatch => ({
  reports: [report('RK-1', 2, 'B')],
  entities: [
    person('Alice Archer', { reports: ['RK-1'] }),
    phone('07700 900001', { properties: { network: 'EE' }, reports: ['RK-1'] }),
    phone('07700 900002'),
    { type: 'Vehicle', label: 'AB12 CDE', properties: { colour: 'red' } },
  ],
  links: [
    { type: 'USES', from: P('alice archer'), to: T('+447700900001'), reports: ['RK-1'] },
    { type: 'USES', from: P('alice archer'), to: T('+447700900002') },
    { type: 'CALLED', from: T('+447700900001'), to: T('+447700900002'), reports: ['RK-1'] },
    { type: 'USES', from: P('alice archer'), to: V('AB12CDE') },
  ],
  events: [calls(2, ['2024-03-01T10:00:00Z', '2024-03-02T10:00:00Z'])],
});

const halyard = (): WriteBatch => ({
  reports: [report('RH-1', 1, 'A')],
  entities: [
    person('Bruno Supplier', { reports: ['RH-1'] }),
    person('Carl Courier'),
    phone('07700 900001', { properties: { imei: 'imeisecret77', network: 'Vodafone' }, reports: ['RH-1'] }),
    phone('07700 900002'),
    { type: 'Vehicle', label: 'AB12 CDE', properties: { note: 'tracker fitted' } },
  ],
  links: [
    { type: 'USES', from: P('bruno supplier'), to: T('+447700900001'), reports: ['RH-1'] },
    { type: 'ASSOCIATE_OF', from: P('bruno supplier'), to: P('carl courier'), reports: ['RH-1'] },
    { type: 'CALLED', from: T('+447700900001'), to: T('+447700900002'), reports: ['RH-1'] },
    { type: 'OWNS', from: P('carl courier'), to: V('AB12CDE'), reports: ['RH-1'] },
  ],
  events: [calls(2, ['2024-03-03T10:00:00Z', '2024-03-04T10:00:00Z', '2024-03-10T10:00:00Z'])],
});

export interface OpsWorld {
  kestrel: string;
  halyard: string;
  /** The shared phones and car, then HALYARD's own people. */
  shared: string[];
  own: string[];
  /** The CALLED link both operations hold. */
  call: string;
  draftId: string;
}

/** Writes both operations into `s` as their owners would. */
export async function writeOperations(s: Stores): Promise<OpsWorld> {
  const k = await s.operations.create(
    { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
    { actor: 'demo' },
  );
  const h = await s.operations.create(
    { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
    { actor: 'dsmith' },
  );
  await s.operations.setMember(h.id, 'ana', 'analyst', { actor: 'dsmith' });
  const inK = { actor: 'demo', operationId: k.id };
  const inH = { actor: 'dsmith', operationId: h.id };
  const run = (importId: string) => ({ importId, importRun: () => ({ importId, name: `${importId}.csv` }) });
  const rk = await s.graph.writeBatch(kestrel(), { ...inK, ...run('imp-kestrel') });
  const rh = await s.graph.writeBatch(halyard(), { ...inH, ...run('imp-halyard') });
  const [, t1, t2, car] = rk.entityIds;
  const [bruno, carl] = rh.entityIds;
  // The desk has taken the first notice up, and HALYARD's owner lets KESTREL know who holds the phone.
  const notices = (await s.deconfliction.list({ limit: 100 })).items;
  await s.deconfliction.decide(notices[0].id, { state: 'contacted', note: 'rang DI Smith' }, inH);
  await s.deconfliction.decide(notices[0].id, { disclose: true }, inH);
  await s.workspace.saveChart({ name: 'Supplier chart', state: { zoom: 1 } }, inH);
  await s.workspace.createAnnotation({ target: { kind: 'entity', id: bruno }, text: 'supplier' }, inH);
  await s.workspace.saveDraft({ name: 'Halyard working', state: { nodes: [bruno] } }, inK);
  const d = await s.workspace.saveDraft({ name: 'Halyard working', state: { nodes: [bruno] } }, inH);
  return {
    kestrel: k.id,
    halyard: h.id,
    shared: [t1, t2, car],
    own: [bruno, carl],
    call: rk.linkIds[2],
    draftId: d.id,
  };
}

const byId = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

/** What a reader of `scope` meets: facts with their properties, reports, calls, and the workspace. */
export async function scopedReads(s: Stores, w: OpsWorld, scope: ReadScope) {
  const g = s.graph.scoped(scope);
  const ws = s.workspace.scoped(scope);
  const page = { limit: 1000 };
  return {
    entities: byId((await g.listEntities(page)).items),
    links: byId((await g.listLinks(page)).items),
    reports: byId((await g.listReports(page)).items),
    shared: await g.getEntities(w.shared),
    own: await g.getEntities(w.own),
    search: (await g.search('07700 900001')).map((h) => h.entity),
    calls: await g.listEvents({ linkIds: [w.call], limit: 100 }),
    charts: byId((await ws.listCharts(page)).items),
    annotations: byId((await ws.listAnnotations(undefined, page)).items),
    draft: await ws.getDraft(w.draftId),
    importRuns: (await s.imports.scoped(scope).listImportRuns(page)).items,
  };
}

/** The operations, their members and the deconfliction notices with their logs, as the desk reads them. */
export async function operationsRecord(s: Stores) {
  const ops = (await s.operations.list({ limit: 100 })).items;
  const notices = (await s.deconfliction.list({ limit: 100 })).items;
  return {
    ops,
    members: await Promise.all(ops.map((o) => s.operations.listMembers(o.id))),
    notices,
    steps: await Promise.all(notices.map((n) => s.deconfliction.events(n.id))),
    readable: { ana: await s.operations.readableBy('ana'), demo: await s.operations.readableBy('demo') },
  };
}
