// The Explain tab: why the selected entity ranks where it does in the current ranking. Its rank and value
// are the ranking's own (the same row the Ranks tab, the sizing and the briefing show); the server's
// explanation, over the same network and measure, adds how stable that rank is and whom it bridges.
import { useEffect, useState } from 'react';
import { chart } from '../graph/controller.ts';
import { useApp } from '../state/hooks.ts';
import { labelOf } from '../components/DetailsTab.tsx';
import { explainIn, type Explanation } from './run.ts';
import { PersonContacts } from './PersonContacts.tsx';
import { formatScore, rankedRows, rowOf } from './ranking.ts';
import { describeSpec, measureLabel, typesInWords } from './spec.ts';

export function ExplainPanel() {
  const id = useApp((s) => s.selection.nodes[0]);
  const run = useApp((s) => s.ranking);
  const [res, setRes] = useState<Explanation | null>(null);
  useEffect(() => setRes(null), [id, run]);
  if (!id)
    return (
      <p className="muted">Select an entity to see why it ranks where it does and how stable that rank is.</p>
    );
  if (!run)
    return (
      <p className="muted">
        Rank first (Ranks tab): Explain explains the entity's place in that ranking, with the same numbers.
      </p>
    );
  const row = rowOf(run, id);
  const inNetwork = run.scores.some((s) => s.id === id);
  const of = rankedRows(run).length;
  const measure = measureLabel(run.metric).toLowerCase();
  const neighbours = chart.graph.hasNode(id) ? chart.graph.neighbors(id) : [];
  return (
    <div>
      <div className="row">
        <b>{labelOf(id)}</b>
      </div>
      {row ? (
        <p data-testid="explain-rank">
          Ranks <b>{row.rank}</b> of {of} {typesInWords(run.spec.types)} by {measure}, value{' '}
          <b data-testid="explain-value">{formatScore(row.score)}</b>.
        </p>
      ) : (
        <p data-testid="explain-rank" className="conditions">
          {inNetwork
            ? `Not ranked here: the ranking shows ${typesInWords(run.spec.types)} only.`
            : run.spec.foldPhones && chart.graph.getNodeAttribute(id, 'etype') === 'Phone'
              ? 'Not ranked on its own: this phone is folded into the person who uses it.'
              : 'Not in the network this ranking ran over (re-rank to include it).'}
        </p>
      )}
      <p className="small muted" data-testid="explain-spec">
        From the current ranking: {describeSpec(run.spec, run.facts)}
      </p>
      {row && (
        <button
          className="primary"
          data-testid="run-explain"
          onClick={() => void explainIn(run, id).then((r) => r && setRes(r))}
        >
          Why, and how stable?
        </button>
      )}
      {res && (
        <div data-testid="explanation">
          <p>
            Stability: over {res.stability.resamples} resamples dropping{' '}
            {Math.round(res.stability.dropShare * 100)}% of links, its rank among all {res.nodes} entities of
            the network stays between{' '}
            <b>
              {res.stability.interval[0]}–{res.stability.interval[1]}
            </b>{' '}
            (now {res.stability.rank}).
            {run.spec.types.length > 0 &&
              ` That rank counts every entity of the network; the rank above counts ${typesInWords(run.spec.types)} only, which is why the two differ.`}
          </p>
          <p className="small">
            Without weakly graded links ({res.weakLeftOut.linksDropped} dropped) it would rank{' '}
            {res.weakLeftOut.rankWithout} instead of {res.weakLeftOut.rankWith} among all entities. It bridges{' '}
            {res.communities.bridged.length} other communities ({(res.communities.pathShare * 100).toFixed(1)}
            % of the shortest paths between them pass through it).
          </p>
          {res.stability.interval[1] - res.stability.interval[0] > Math.max(3, res.nodes * 0.1) && (
            <p className="conditions small">
              This rank is sensitive to which links are known: corroborate before acting on it.
            </p>
          )}
        </div>
      )}
      {chart.graph.hasNode(id) && chart.graph.getNodeAttribute(id, 'etype') === 'Person' && (
        <PersonContacts person={id} />
      )}
      <p className="small muted">
        {neighbours.length} entities linked to it on the chart
        {neighbours.length ? `, e.g. ${neighbours.slice(0, 5).map(labelOf).join(', ')}` : ''}.
      </p>
    </div>
  );
}
