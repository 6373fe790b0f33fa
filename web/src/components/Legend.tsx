// The legend on the chart: what each colour means (the entity types on the chart, or every community,
// largest first), what size means (the measure and its range), and the link types, each with a switch
// that labels every link of that type. It reads the same model the PNG, SVG and PDF exports draw.
import { useCallback, useRef, useState } from 'react';
import type { LinkType } from '@domain/model.ts';
import { chart } from '../graph/controller.ts';
import { legendNumber } from '../graph/legend-model.ts';
import { iconUrl } from '../graph/style.ts';
import { useApp } from '../state/hooks.ts';
import './legend.css';

export function Legend() {
  // Re-read on any change the legend depends on.
  useApp((s) => s.graphVersion);
  useApp((s) => s.appearance);
  useApp((s) => s.filters);
  useApp((s) => s.hidden);
  const [open, setOpen] = useState(true);
  const [linksOpen, setLinksOpen] = useState(false);
  const [labelled, setLabelled] = useState(() => new Set(chart.linkLabelTypesShown()));
  // The chart is fitted clear of the legend: when the legend appears, opens, folds or grows, a chart still
  // at its fitted view is fitted again.
  const observer = useRef<ResizeObserver | null>(null);
  const box = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(() => chart.refitIfHome());
    observer.current.observe(el);
  }, []);
  const m = chart.legend();
  if (!m.colours.length) return null;
  const toggle = (t: LinkType): void => {
    const on = !labelled.has(t);
    chart.setLinkTypeLabels(t, on);
    setLabelled(new Set(chart.linkLabelTypesShown()));
  };
  return (
    <div className={`chart-legend ${open ? '' : 'closed'}`} data-testid="legend" ref={box}>
      <button
        className="legend-toggle"
        title={open ? 'Hide the legend' : 'Show the legend'}
        onClick={() => setOpen(!open)}
      >
        Legend {open ? '▾' : '▸'}
      </button>
      {open && (
        <div className="legend-body">
          <section data-testid="legend-colour">
            <h4>{m.colourTitle}</h4>
            <ul className={m.colours.length > 8 ? 'cols' : ''}>
              {m.colours.map((c) => (
                <li key={c.label} data-colour={c.colour} data-ring={c.ring ?? ''}>
                  {c.etype ? (
                    <img src={iconUrl(c.etype, c.colour)} alt="" />
                  ) : (
                    <span
                      className="disc"
                      style={{
                        background: c.colour,
                        boxShadow: c.ring ? `0 0 0 1.5px #fff, 0 0 0 3px ${c.ring}` : undefined,
                      }}
                    />
                  )}
                  <span>
                    {c.label} <span className="muted">({c.count})</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section data-testid="legend-size">
            <h4>Size: {m.size ? m.size.measure : 'all the same'}</h4>
            {m.size ? (
              <div className="size-scale">
                <span
                  className="disc grey"
                  style={{ width: m.size.minSize * 2, height: m.size.minSize * 2 }}
                />
                <span data-testid="legend-size-min">{legendNumber(m.size.min)}</span>
                <span className="arrow">→</span>
                <span
                  className="disc grey"
                  style={{ width: m.size.maxSize * 2, height: m.size.maxSize * 2 }}
                />
                <span data-testid="legend-size-max">{legendNumber(m.size.max)}</span>
              </div>
            ) : (
              <p className="muted small">Size the nodes by a measure in Ranks.</p>
            )}
          </section>
          {m.links.length > 0 && (
            <section data-testid="legend-links">
              <h4>
                <button
                  className="links-toggle"
                  data-testid="legend-links-toggle"
                  onClick={() => setLinksOpen(!linksOpen)}
                >
                  Link labels by type {linksOpen ? '▾' : '▸'}
                </button>
                {!linksOpen && labelled.size > 0 && (
                  <span className="muted"> ({labelled.size} labelled)</span>
                )}
              </h4>
              {linksOpen && (
                <ul className={m.links.length > 6 ? 'cols' : ''}>
                  {m.links.map((l) => (
                    <li key={l.type} data-colour={l.colour}>
                      <label title={`Label every ${l.label} link`}>
                        <input
                          type="checkbox"
                          data-testid={`label-links-${l.type}`}
                          checked={labelled.has(l.type)}
                          onChange={() => toggle(l.type)}
                        />
                        <span className="line" style={{ background: l.colour }} />
                        {l.label} <span className="muted">({l.count})</span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
      )}
    </div>
  );
}
