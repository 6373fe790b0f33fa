// JSON: the analysis record, then nodes and links as the API shapes them plus their marking.
import type { ExportData } from './collect.ts';

export function toJson(data: ExportData): string {
  return JSON.stringify({ record: data.record, nodes: data.nodes, links: data.links }, null, 2) + '\n';
}
