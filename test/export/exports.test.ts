// Exports load in networkx with the same counts and attributes, ANX follows the published chart structure,
// CSV defuses formula cells, and every export carries its analysis record and marks handling-C items.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../api/server-harness.ts';
import { exportToFiles } from '../../server/cli/export.ts';
import { escapeCell } from '../../server/export/csv.ts';

const PY = '/usr/bin/python3';
const hasNx =
  existsSync(PY) &&
  (() => {
    try {
      execFileSync(PY, ['-c', 'import networkx'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
if (!hasNx) console.warn('skipping networkx round-trips: /usr/bin/python3 with networkx is absent');

let h: Harness;
let ids: Record<string, string> = {};
let chartId = '';

beforeAll(async () => {
  h = await startHarness();
  const batch = {
    reports: [
      { ref: 'R-OPEN', date: '2024-02-01', author: 'DC Jones', source: 1, intel: 'A', handling: 'P' },
      {
        ref: 'R-COND',
        date: '2024-02-02',
        author: 'DC Jones',
        source: 2,
        intel: 'C',
        handling: 'C',
        conditions: 'not for disclosure to partners',
      },
    ],
    entities: [
      {
        type: 'Person',
        label: 'Ann Smith',
        properties: { dob: '1990-01-01', nickname: '=HYPERLINK("http://x")' },
        reports: ['R-OPEN'],
      },
      {
        type: 'Person',
        label: '@Bob Jones',
        properties: { dob: '1985-05-05', nickname: '+44 trick' },
        reports: ['R-COND'],
      },
      { type: 'Phone', label: '07700 900123', properties: { number: '07700 900123' } },
      { type: 'Phone', label: '07700 900456', properties: { number: '07700 900456' } },
      { type: 'Location', label: '-Camp Site', properties: { lat: 51.5, lon: -0.12, note: '\tcmd /c calc' } },
    ],
    links: [
      {
        type: 'ASSOCIATE_OF',
        from: { type: 'Person', key: 'ann smith|1990-01-01' },
        to: { type: 'Person', key: '@bob jones|1985-05-05' },
        weight: 3,
        reports: ['R-COND'],
      },
      {
        type: 'CALLED',
        from: { type: 'Phone', key: '+447700900123' },
        to: { type: 'Phone', key: '+447700900456' },
        weight: 7,
        firstSeen: '2024-01-01T10:00:00Z',
        lastSeen: '2024-01-05T10:00:00Z',
        reports: ['R-OPEN'],
      },
      {
        type: 'USES',
        from: { type: 'Person', key: 'ann smith|1990-01-01' },
        to: { type: 'Phone', key: '+447700900123' },
        reports: ['R-OPEN'],
      },
    ],
  };
  const res = await h.call('POST', '/api/batch', batch);
  expect(res.status, res.text).toBe(200);
  const w = res.json as { entityIds: string[] };
  ids = {
    ann: w.entityIds[0],
    bob: w.entityIds[1],
    p1: w.entityIds[2],
    p2: w.entityIds[3],
    camp: w.entityIds[4],
  };
  const chart = await h.call('POST', '/api/charts', {
    name: 'Briefing',
    state: {
      nodes: [ids.ann, ids.bob, ids.p1],
      positions: { [ids.ann]: { x: 10, y: 20 }, [ids.bob]: { x: -30, y: 40.5 }, [ids.p1]: { x: 0, y: 0 } },
    },
  });
  expect(chart.status, chart.text).toBe(201);
  chartId = (chart.json as { id: string }).id;
});
afterAll(async () => h.close());

const CONFIRM = {
  confirmConditions: true,
  justification: 'Briefing for the Op Oak tasking meeting',
  recipient: 'DI Patel',
};

async function exportText(
  body: Record<string, unknown>,
  confirm = true,
): Promise<{ text: string; record: Record<string, unknown>; status: number }> {
  const res = await h.call('POST', '/api/exports', confirm ? { ...body, handling: CONFIRM } : body);
  const raw = res.headers.get('x-analysis-record');
  return {
    text: res.text,
    status: res.status,
    record: raw ? (JSON.parse(decodeURIComponent(raw)) as Record<string, unknown>) : {},
  };
}

function py(code: string, file: string): unknown {
  return JSON.parse(execFileSync(PY, ['-c', code, file], { encoding: 'utf8' }));
}

const ANALYSIS = {
  metric: 'betweenness',
  parameters: { normalized: true },
  seeds: [42],
  values: {} as Record<string, number>,
};

describe('exports', () => {
  it.skipIf(!hasNx)(
    'GraphML loads in networkx with the same counts, attributes, positions and record',
    async () => {
      const { text, status } = await exportText({
        format: 'graphml',
        chartId,
        analysis: { ...ANALYSIS, values: { [ids.ann]: 0.5 } },
      });
      expect(status).toBe(200);
      const file = join(h.dir, 'chart.graphml');
      writeFileSync(file, text);
      const got = py(
        `import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({"n": g.number_of_nodes(), "e": g.number_of_edges(), "nodes": {k: v for k, v in g.nodes(data=True)},
  "edges": [d for _, _, d in g.edges(data=True)], "record": json.loads(g.graph["analysisRecord"])}))`,
        file,
      ) as {
        n: number;
        e: number;
        nodes: Record<string, Record<string, unknown>>;
        edges: Array<Record<string, unknown>>;
        record: Record<string, unknown>;
      };
      // The chart holds Ann, Bob and phone 1: the links among them are ASSOCIATE_OF and USES.
      expect(got.n).toBe(3);
      expect(got.e).toBe(2);
      const ann = got.nodes[ids.ann];
      expect(ann).toMatchObject({
        label: 'Ann Smith',
        type: 'Person',
        grading: '1A',
        handling: 'P',
        x: 10,
        y: 20,
        betweenness: 0.5,
        p_dob: '1990-01-01',
      });
      expect(got.nodes[ids.bob]).toMatchObject({
        handling: 'C',
        grading: '2C',
        conditions: 'R-COND: not for disclosure to partners',
      });
      const assoc = got.edges.find((e) => e.type === 'ASSOCIATE_OF')!;
      expect(assoc).toMatchObject({ weight: 3, handling: 'C', grading: '2C', directed: false });
      expect(got.record).toMatchObject({
        software: { name: 'linkchart' },
        source: { kind: 'chart', chartId, chartName: 'Briefing' },
        analysis: { metric: 'betweenness', parameters: { normalized: true }, seeds: [42] },
        counts: { nodes: 3, links: 2 },
        handling: { conditional: 2 },
      });
      expect(typeof got.record.dataVersion).toBe('number');
    },
  );

  it.skipIf(!hasNx)('GEXF loads in networkx with the same counts and attributes (whole store)', async () => {
    const { text, record } = await exportText({ format: 'gexf' });
    const file = join(h.dir, 'all.gexf');
    writeFileSync(file, text);
    const got = py(
      `import sys, json, networkx as nx
g = nx.read_gexf(sys.argv[1])
print(json.dumps({"n": g.number_of_nodes(), "e": g.number_of_edges(), "nodes": {k: v for k, v in g.nodes(data=True)},
  "edges": [d for _, _, d in g.edges(data=True)]}))`,
      file,
    ) as {
      n: number;
      e: number;
      nodes: Record<string, Record<string, unknown>>;
      edges: Array<Record<string, unknown>>;
    };
    expect(got.n).toBe(5);
    expect(got.e).toBe(3);
    expect(got.nodes[ids.camp]).toMatchObject({
      label: '-Camp Site',
      type: 'Location',
      p_lat: 51.5,
      p_lon: -0.12,
      p_note: '\tcmd /c calc',
    });
    const called = got.edges.find((e) => e.type === 'CALLED')!;
    expect(called).toMatchObject({
      weight: 7,
      firstSeen: '2024-01-01T10:00:00Z',
      grading: '1A',
      handling: 'P',
    });
    expect(record).toMatchObject({ counts: { nodes: 5, links: 3 }, source: { kind: 'view' } });
    expect(text).toContain('<description>');
  });

  it('ANX is well-formed XML with the published chart structure, gradings and C marking', async () => {
    const { text } = await exportText({ format: 'anx', view: {}, analysis: ANALYSIS });
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) =>
        ['ChartItem', 'EntityType', 'LinkType', 'Attribute', 'String', 'AttributeClass'].includes(name),
    }).parse(text) as {
      Chart: {
        EntityTypeCollection: { EntityType: Array<{ Id: string; Name: string }> };
        LinkTypeCollection: { LinkType: Array<{ Id: string; Name: string }> };
        GradeOne: { StringCollection: { String: unknown[] } };
        GradeTwo: { StringCollection: { String: unknown[] } };
        GradeThree: { StringCollection: { String: unknown[] } };
        Summary: {
          CustomPropertyCollection: {
            CustomProperty: Array<{ Name: string; Value: string }> | { Name: string; Value: string };
          };
        };
        ChartItemCollection: { ChartItem: Array<Record<string, unknown>> };
      };
    };
    const chart = doc.Chart;
    expect(chart.EntityTypeCollection.EntityType.map((t) => t.Name).sort()).toEqual([
      'Location',
      'Person',
      'Phone',
    ]);
    expect(chart.LinkTypeCollection.LinkType.map((t) => t.Name).sort()).toEqual([
      'ASSOCIATE_OF',
      'CALLED',
      'USES',
    ]);
    expect(chart.GradeOne.StringCollection.String).toHaveLength(3);
    expect(chart.GradeTwo.StringCollection.String).toHaveLength(5);
    expect(chart.GradeThree.StringCollection.String).toHaveLength(2);
    const items = chart.ChartItemCollection.ChartItem;
    const entities = items.filter((i) => 'End' in i) as Array<{
      Label: string;
      Description?: string;
      GradeOneIndex?: string;
      End: {
        X: string;
        Y: string;
        Entity: { EntityId: string; Icon: { IconStyle: { Type: string; EntityTypeReference: string } } };
      };
    }>;
    const links = items.filter((i) => 'Link' in i) as Array<{
      Description?: string;
      Link: {
        End1Id: string;
        End2Id: string;
        LinkStyle: { Type: string; LinkTypeReference: string; ArrowStyle: string };
      };
    }>;
    expect(entities).toHaveLength(5);
    expect(links).toHaveLength(3);
    const etIds = new Set(chart.EntityTypeCollection.EntityType.map((t) => t.Id));
    const ltIds = new Set(chart.LinkTypeCollection.LinkType.map((t) => t.Id));
    const entityIds = new Set(entities.map((e) => e.End.Entity.EntityId));
    for (const e of entities) expect(etIds.has(e.End.Entity.Icon.IconStyle.EntityTypeReference)).toBe(true);
    for (const l of links) {
      expect(ltIds.has(l.Link.LinkStyle.LinkTypeReference)).toBe(true);
      expect(entityIds.has(l.Link.End1Id) && entityIds.has(l.Link.End2Id)).toBe(true);
    }
    const bob = entities.find((e) => e.Label === '@Bob Jones')!;
    expect(bob.Description).toContain('HANDLING CODE C: R-COND: not for disclosure to partners');
    expect(bob.GradeOneIndex).toBe('1');
    expect(links.find((l) => l.Link.LinkStyle.Type === 'CALLED')!.Link.LinkStyle.ArrowStyle).toBe(
      'ArrowOnHead',
    );
    const props = [chart.Summary.CustomPropertyCollection.CustomProperty].flat();
    const record = JSON.parse(props.find((p) => p.Name === 'AnalysisRecord')!.Value) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      analysis: { metric: 'betweenness', seeds: [42] },
      counts: { nodes: 5, links: 3 },
    });
  });

  it('CSV defuses formula cells (= + - @ tab CR) and keeps plain numbers', async () => {
    expect(escapeCell('=1+1')).toBe("'=1+1");
    expect(escapeCell('+44 trick')).toBe("'+44 trick");
    expect(escapeCell('-2+3')).toBe("'-2+3");
    expect(escapeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCell('\tcmd')).toBe("'\tcmd");
    expect(escapeCell('\r=cmd')).toBe('"\'\r=cmd"');
    expect(escapeCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(escapeCell(-0.12)).toBe('-0.12');
    expect(escapeCell('Ann, Smith')).toBe('"Ann, Smith"');
    const nodes = await exportText({ format: 'csv', part: 'nodes' });
    const lines = nodes.text.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    // No cell of the file starts a formula once parsed the way a spreadsheet would.
    const cells = lines
      .flatMap((l) => l.match(/("([^"]|"")*"|[^,]*)/g) ?? [])
      .map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"'));
    for (const c of cells) if (c && !/^-?\d+(\.\d+)?$/.test(c)) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    expect(nodes.text).toContain("'@Bob Jones");
    expect(nodes.text).toContain("'=HYPERLINK");
    expect(nodes.text).toContain("'-Camp Site");
    expect(nodes.text).toContain("'\tcmd /c calc");
    const links = await exportText({ format: 'csv', part: 'links' });
    expect(links.text.split('\r\n')[0]).toBe(
      'id,from,to,type,weight,directed,firstSeen,lastSeen,grading,handling,conditions,reports',
    );
    expect(links.record).toMatchObject({ counts: { links: 3 } });
  });

  it('JSON carries the record, nodes and links; the CLI writes the same formats to files', async () => {
    const { text } = await exportText({ format: 'json', entityIds: [ids.p1, ids.p2] });
    const doc = JSON.parse(text) as {
      record: { source: { kind: string } };
      nodes: unknown[];
      links: Array<{ type: string }>;
    };
    expect(doc.record.source.kind).toBe('entities');
    expect(doc.nodes).toHaveLength(2);
    expect(doc.links.map((l) => l.type)).toEqual(['CALLED']);
    // The web app sends the chart's positions with its entities, so the file opens laid out as drawn.
    const placed = JSON.parse(
      (
        await exportText({
          format: 'json',
          entityIds: [ids.p1, ids.p2],
          positions: { [ids.p1]: { x: 12.5, y: -3 } },
        })
      ).text,
    ) as { nodes: Array<{ id: string; x: number | null; y: number | null }> };
    expect(placed.nodes.find((n) => n.id === ids.p1)).toMatchObject({ x: 12.5, y: -3 });
    expect(placed.nodes.find((n) => n.id === ids.p2)).toMatchObject({ x: null, y: null });
    const out = join(h.dir, 'cli-out.csv');
    const res = await exportToFiles(h.stores, [
      '--format',
      'csv',
      '--out',
      out,
      '--view',
      '{"linkTypes":["CALLED"]}',
    ]);
    expect('written' in res && res.written).toEqual([
      join(h.dir, 'cli-out.nodes.csv'),
      join(h.dir, 'cli-out.links.csv'),
      join(h.dir, 'cli-out.record.json'),
    ]);
    expect(readFileSync(join(h.dir, 'cli-out.links.csv'), 'utf8')).toContain('CALLED,7,true');
    const bad = await exportToFiles(h.stores, ['--format', 'pdf', '--out', out]);
    expect('error' in bad && bad.error).toContain('unknown export format "pdf"');
  });

  it('C-coded intelligence leaves only with its conditions confirmed (428 naming them otherwise)', async () => {
    const r = await h.call('POST', '/api/exports', { format: 'json', chartId });
    expect(r.status).toBe(428);
    expect(r.json).toMatchObject({
      error: {
        code: 'handling_confirmation_required',
        details: [{ message: 'R-COND: not for disclosure to partners' }],
      },
    });
    // Phones only: nothing C-coded, no confirmation needed.
    expect((await exportText({ format: 'json', entityIds: [ids.p1, ids.p2] }, false)).status).toBe(200);
    expect((await exportText({ format: 'json', chartId })).status).toBe(200);
  });

  it('refuses an unknown chart and an unknown format with a 4xx that says so', async () => {
    expect((await exportText({ format: 'graphml', chartId: 'nope' })).status).toBe(404);
    const r = await h.call('POST', '/api/exports', { format: 'xlsx' });
    expect(r.status).toBe(400);
    expect((r.json as { error: { message: string } }).error.message).toContain('unknown export format');
  });
});
