// The empty state's "Start from the most central people": the person network of the whole view ranked on
// the server (phones folded into their users, betweenness), its top people brought onto the chart with
// their surroundings. The ranking stays the current one, so the chart, Ranks and the briefing agree.
// It goes through the job API, whose cap is the analysis cap, never a fixed number of view links.
import { bringOntoChart } from './bring.ts';
import { rankedRows } from './ranking.ts';
import { runRanking, showRanking } from './run.ts';
import { PEOPLE_FIRST } from './spec.ts';
import { chart } from '../graph/controller.ts';

export async function startFromCentralPeople(n = 8): Promise<void> {
  const run = await runRanking({ ...PEOPLE_FIRST, scope: 'view' });
  if (!run) return;
  const seeds = rankedRows(run)
    .slice(0, n)
    .map((r) => r.id);
  if (!seeds.length) throw new Error('the store holds no people yet: import data or load the demo network');
  await bringOntoChart(seeds, { withPhones: true, withNeighbours: true }, 'most central people');
  // Size what is now on the chart by the same scores.
  showRanking(run);
  chart.fit();
}
