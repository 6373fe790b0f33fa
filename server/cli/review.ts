// `npm run review -- --before 2024-01-01..2024-06-30 --after 2024-07-01..2024-12-31 [--targets id,id]
//  [--types Person,Phone] [--top 10] [--json]`: the operational review of the configured store
// (LINKCHART_DB, or Neo4j when configured), as text or JSON.
import { parseArgs } from 'node:util';
import { ENTITY_TYPES, type EntityType } from '../domain/model.ts';
import { parseWindow, type ReviewResult } from '../cycle/review.ts';
import { computeReview } from '../cycle/service.ts';
import { reviewBriefingSection } from '../cycle/briefing.ts';
import { openStore } from '../store/open-store.ts';

const USAGE =
  'usage: npm run review -- --before FROM..TO --after FROM..TO [--targets ID,...] [--types Person,...] [--top N] [--json]\n' +
  '  windows are ISO dates, e.g. --before 2024-01-01..2024-06-30 (either end may be left open)';

export function formatReview(r: ReviewResult): string {
  const s = reviewBriefingSection(r);
  const out: string[] = [s.title.toUpperCase(), ''];
  for (const p of s.paragraphs) out.push(p);
  for (const t of s.tables) {
    if (t.rows.length === 0) continue;
    out.push('', t.title);
    const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((row) => (row[i] ?? '').length)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => (c ?? '').padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    out.push(line(t.columns), line(widths.map((w) => '-'.repeat(w))), ...t.rows.map(line));
  }
  return out.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        before: { type: 'string' },
        after: { type: 'string' },
        targets: { type: 'string' },
        types: { type: 'string' },
        top: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.before || !args.after) {
    console.error(`--before and --after are required\n${USAGE}`);
    return 2;
  }
  let before, after;
  try {
    before = parseWindow(args.before);
    after = parseWindow(args.after);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const types = args.types
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const badType = types?.find((t) => !(ENTITY_TYPES as readonly string[]).includes(t));
  if (badType) {
    console.error(
      `--types: unknown entity type ${JSON.stringify(badType)}; expected ${ENTITY_TYPES.join(', ')}`,
    );
    return 2;
  }
  const top = args.top === undefined ? undefined : Number(args.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 100)) {
    console.error('--top must be a whole number from 1 to 100');
    return 2;
  }
  const targets =
    args.targets
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean) ?? [];

  const stores = await openStore();
  try {
    const found = new Set((await stores.graph.getEntities(targets)).map((e) => e.id));
    const unknown = targets.find((t) => !found.has(t));
    if (unknown) {
      console.error(`--targets: no entity with id ${JSON.stringify(unknown)}`);
      return 2;
    }
    const r = await computeReview(stores.graph, {
      before,
      after,
      targets,
      topRisers: top,
      view: types ? { entityTypes: types as EntityType[] } : {},
    });
    console.log(args.json ? JSON.stringify(r, null, 2) : formatReview(r));
    return 0;
  } finally {
    await stores.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
