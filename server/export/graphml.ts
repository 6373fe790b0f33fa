// GraphML (Gephi, yEd, networkx read_graphml): typed keys for every attribute, the analysis record as
// graph data. Mixed directions are written as a directed graph with a `directed` attribute per edge.
import type { ExportData } from './collect.ts';
import { linkFields, nodeFields, type FieldType } from './fields.ts';
import { attrs, esc } from './xml.ts';

const GRAPHML_TYPE: Record<FieldType, string> = { string: 'string', double: 'double', boolean: 'boolean' };

export function toGraphml(data: ExportData): string {
  const nf = nodeFields(data);
  const lf = linkFields(data);
  const directed = data.links.some((l) => l.directed);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="g_record" for="graph" attr.name="analysisRecord" attr.type="string"/>',
  ];
  nf.forEach((f, i) =>
    out.push(
      `  <key${attrs({ id: `n${i}`, for: 'node', 'attr.name': f.name, 'attr.type': GRAPHML_TYPE[f.type] })}/>`,
    ),
  );
  lf.forEach((f, i) =>
    out.push(
      `  <key${attrs({ id: `e${i}`, for: 'edge', 'attr.name': f.name, 'attr.type': GRAPHML_TYPE[f.type] })}/>`,
    ),
  );
  out.push(`  <graph id="linkchart" edgedefault="${directed ? 'directed' : 'undirected'}">`);
  out.push(`    <data key="g_record">${esc(JSON.stringify(data.record))}</data>`);
  for (const n of data.nodes) {
    out.push(`    <node id="${esc(n.id)}">`);
    nf.forEach((f, i) => {
      const v = f.get(n);
      if (v !== null && v !== '') out.push(`      <data key="n${i}">${esc(v)}</data>`);
    });
    out.push('    </node>');
  }
  for (const l of data.links) {
    out.push(`    <edge${attrs({ id: l.id, source: l.from, target: l.to })}>`);
    lf.forEach((f, i) => {
      const v = f.get(l);
      if (v !== null && v !== '') out.push(`      <data key="e${i}">${esc(v)}</data>`);
    });
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
