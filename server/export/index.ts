// One entry point for every export format: gather the data, write the text, name the file.
import type { ExportFormat, ExportRequest } from '../api-types/exports.ts';
import { collectExport, type CollectOptions, type ExportData, type ExportStores } from './collect.ts';
import { toGraphml } from './graphml.ts';
import { toGexf } from './gexf.ts';
import { toCsvLinks, toCsvNodes } from './csv.ts';
import { toJson } from './json.ts';
import { toAnx } from './anx.ts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  graphml: 'application/graphml+xml; charset=utf-8',
  gexf: 'application/gexf+xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  anx: 'application/xml; charset=utf-8',
};

export interface ExportFile {
  name: string;
  contentType: string;
  text: string;
}

/** The files of one export: one file, or for CSV the nodes and links tables (or the part asked for). */
export function writeExport(data: ExportData, format: ExportFormat, part?: 'nodes' | 'links'): ExportFile[] {
  const stamp = `linkchart-v${data.record.dataVersion}`;
  const one = (ext: string, text: string): ExportFile => ({
    name: `${stamp}.${ext}`,
    contentType: CONTENT_TYPES[format],
    text,
  });
  switch (format) {
    case 'graphml':
      return [one('graphml', toGraphml(data))];
    case 'gexf':
      return [one('gexf', toGexf(data))];
    case 'json':
      return [one('json', toJson(data))];
    case 'anx':
      return [one('anx', toAnx(data))];
    case 'csv': {
      const files = [
        { name: `${stamp}.nodes.csv`, contentType: CONTENT_TYPES.csv, text: toCsvNodes(data) },
        { name: `${stamp}.links.csv`, contentType: CONTENT_TYPES.csv, text: toCsvLinks(data) },
      ];
      return part ? files.filter((f) => f.name.endsWith(`.${part}.csv`)) : files;
    }
  }
}

export async function exportGraph(
  stores: ExportStores,
  req: ExportRequest,
  opts: CollectOptions,
): Promise<{ data: ExportData; files: ExportFile[] }> {
  const data = await collectExport(stores, req, opts);
  return { data, files: writeExport(data, req.format, req.part) };
}
