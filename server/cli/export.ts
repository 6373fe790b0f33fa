// `npm run export -- --format graphml|gexf|csv|json|anx [--view JSON] [--chart ID] [--analysis JSON] --out FILE`
// CSV writes FILE's stem .nodes.csv and .links.csv, plus .record.json (the analysis record).
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openStore } from '../store/open-store.ts';
import type { Stores } from '../store/stores.ts';
import { exportRequestSchema } from '../api-types/exports.ts';
import { exportGraph } from '../export/index.ts';
import { loadConfig } from '../config.ts';

export const EXPORT_USAGE = `usage: npm run export -- --format graphml|gexf|csv|json|anx --out FILE
  [--view '{"linkTypes":["CALLED"],"from":"2024-01-01"}'] [--chart CHART_ID] [--entities id1,id2,...]
  [--analysis '{"metric":"betweenness","parameters":{...},"seeds":[42]}']`;

export async function exportToFiles(
  stores: Stores,
  argv: string[],
): Promise<{ written: string[]; conditions: string[] } | { error: string }> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        view: { type: 'string' },
        chart: { type: 'string' },
        entities: { type: 'string' },
        analysis: { type: 'string' },
        actor: { type: 'string' },
      },
    }).values;
  } catch (e) {
    return { error: `${(e as Error).message}\n${EXPORT_USAGE}` };
  }
  if (!values['format'] || !values['out']) return { error: EXPORT_USAGE };
  const json = (name: string): unknown => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      throw new Error(`--${name} is not valid JSON: ${raw}`);
    }
  };
  let request;
  try {
    request = exportRequestSchema.parse({
      format: values['format'],
      ...(values['view'] ? { view: json('view') } : {}),
      ...(values['chart'] ? { chartId: values['chart'] } : {}),
      ...(values['entities'] ? { entityIds: values['entities'].split(',').filter(Boolean) } : {}),
      ...(values['analysis'] ? { analysis: json('analysis') } : {}),
    });
  } catch (e) {
    const issues = (e as { issues?: Array<{ path: unknown[]; message: string }> }).issues;
    return {
      error: issues
        ? issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('\n')
        : (e as Error).message,
    };
  }
  let actor = values['actor'];
  if (!actor) {
    try {
      actor = `cli:${userInfo().username}`;
    } catch {
      actor = 'cli';
    }
  }
  const { data, files } = await exportGraph(stores, request, {
    actor,
    maxLinks: loadConfig().limits.maxAnalysisLinks,
  });
  const out = values['out'];
  const written: string[] = [];
  if (request.format === 'csv') {
    const stem = out.replace(/\.csv$/i, '');
    for (const f of files) {
      const path = `${stem}.${f.name.endsWith('.nodes.csv') ? 'nodes' : 'links'}.csv`;
      writeFileSync(path, f.text);
      written.push(path);
    }
    writeFileSync(`${stem}.record.json`, JSON.stringify(data.record, null, 2) + '\n');
    written.push(`${stem}.record.json`);
  } else {
    writeFileSync(out, files[0].text);
    written.push(out);
  }
  return { written, conditions: data.conditionalReports.map((r) => `${r.ref}: ${r.conditions ?? ''}`) };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // Help before the store is opened: asking for usage must not create a database or key file.
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(EXPORT_USAGE + '\n');
    return;
  }
  let stores: Stores;
  try {
    stores = await openStore();
  } catch (e) {
    process.stderr.write(`linkchart export: ${(e as Error).message}\n`);
    process.exit(1);
  }
  try {
    const res = await exportToFiles(stores, argv);
    if ('error' in res) {
      process.stderr.write(`linkchart export: ${res.error}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`Wrote ${res.written.join(', ')}\n`);
      if (res.conditions.length) {
        process.stdout.write(
          `Handling code C: this export includes intelligence shared only under conditions; pass them on with it:\n` +
            res.conditions.map((c) => `  ${c}\n`).join(''),
        );
      }
    }
  } catch (e) {
    process.stderr.write(`linkchart export: ${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await stores.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
