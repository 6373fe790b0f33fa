// Pick entities by searching for them (name, number, plate: the store's search) or by taking what is
// selected on the chart; never by typing an internal id. One picker for every form that needs an entity.
import { useEffect, useRef, useState } from 'react';
import type { EntityType } from '@domain/model.ts';
import { api, messageOf, type SearchHitDto } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { iconUrl } from '../graph/style.ts';
import { useApp } from '../state/hooks.ts';

export interface PickedEntity {
  id: string;
  /** Empty when only the id is known (a prefilled form): the picker then looks the entity up. */
  label: string;
  type?: EntityType;
}

/** An entity known only by its id (a form prefilled from elsewhere), labelled from the chart if it is there. */
export function pickedFromId(id: string, label?: string): PickedEntity {
  if (chart.graph.hasNode(id))
    return {
      id,
      label: label ?? String(chart.graph.getNodeAttribute(id, 'label') ?? ''),
      type: chart.graph.getNodeAttribute(id, 'etype') as EntityType,
    };
  return { id, label: label ?? '' };
}

/** The chart's selected nodes as picked entities (what the chart knows of them). */
function chartSelection(ids: readonly string[]): PickedEntity[] {
  return ids
    .filter((id) => chart.graph.hasNode(id))
    .map((id) => ({
      id,
      label: String(chart.graph.getNodeAttribute(id, 'label') ?? id),
      type: chart.graph.getNodeAttribute(id, 'etype') as EntityType,
    }));
}

export function EntityPicker(props: {
  value: PickedEntity[];
  onChange: (v: PickedEntity[]) => void;
  /** One entity (the default) or several. */
  multiple?: boolean;
  /** Only offer these types. */
  types?: readonly EntityType[];
  testId?: string;
  placeholder?: string;
  invalid?: boolean;
}) {
  const { value, onChange, multiple = false, types } = props;
  const selected = useApp((s) => s.selection.nodes);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHitDto[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const seq = useRef(0);
  const testId = props.testId ?? 'entity-picker';
  // Entities the form knew only by id, looked up once for their label and type.
  const [known, setKnown] = useState<Record<string, PickedEntity>>({});
  const asked = useRef(new Set<string>());
  useEffect(() => {
    for (const v of value) {
      if ((v.label && v.type) || asked.current.has(v.id)) continue;
      asked.current.add(v.id);
      api.entity(v.id).then(
        (e) => setKnown((k) => ({ ...k, [v.id]: { id: e.id, label: e.label, type: e.type } })),
        () =>
          setKnown((k) => ({
            ...k,
            [v.id]: { id: v.id, label: v.label || 'an entity no longer in the store' },
          })),
      );
    }
  }, [value]);

  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setHits([]);
      return;
    }
    const mine = ++seq.current;
    const t = setTimeout(() => {
      api.search(text, 12).then(
        (h) => {
          if (mine !== seq.current) return;
          setHits(types ? h.filter((x) => types.includes(x.entity.type)) : h);
          setActive(0);
          setOpen(true);
          setErr(null);
        },
        (e: unknown) => setErr(messageOf(e)),
      );
    }, 150);
    return () => clearTimeout(t);
  }, [q, types]);

  const add = (picked: PickedEntity[]): void => {
    const usable = types ? picked.filter((p) => p.type && types.includes(p.type)) : picked;
    if (!usable.length) return;
    if (!multiple) onChange([usable[0]]);
    else {
      const have = new Set(value.map((v) => v.id));
      onChange([...value, ...usable.filter((p) => !have.has(p.id))]);
    }
    setQ('');
    setOpen(false);
  };
  const fromChart = chartSelection(selected).filter((p) => !types || (p.type && types.includes(p.type)));
  const showSearch = multiple || value.length === 0;

  return (
    <div className="entity-picker" data-testid={testId}>
      {value.length > 0 && (
        <div className="chips">
          {value.map((picked) => {
            const v = picked.label && picked.type ? picked : (known[picked.id] ?? picked);
            return (
              <span
                key={v.id}
                className="chip picked"
                data-testid={`${testId}-picked`}
                data-entity={v.id}
                title={v.type}
              >
                {v.type && <img src={iconUrl(v.type)} alt="" />}
                {v.label || '…'}
                <button
                  type="button"
                  aria-label={`Remove ${v.label}`}
                  onClick={() => onChange(value.filter((x) => x.id !== v.id))}
                >
                  ×
                </button>
              </span>
            );
          })}
        </div>
      )}
      {showSearch && (
        <div className="picker-row">
          <div className="picker-search">
            <input
              data-testid={`${testId}-search`}
              value={q}
              aria-invalid={props.invalid || undefined}
              placeholder={props.placeholder ?? 'Search by name, number or plate'}
              onChange={(e) => setQ(e.target.value)}
              onFocus={() => setOpen(true)}
              onBlur={() => setTimeout(() => setOpen(false), 150)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
                else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
                else if (e.key === 'Enter' && hits[active]) add([hits[active].entity]);
                else return;
                e.preventDefault();
              }}
            />
            {open && hits.length > 0 && (
              <div className="suggestions" data-testid={`${testId}-hits`}>
                {hits.map((h, i) => (
                  <div
                    key={h.entity.id}
                    className={i === active ? 'active' : ''}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      add([h.entity]);
                    }}
                  >
                    <img src={iconUrl(h.entity.type)} alt="" />
                    <span>{h.entity.label}</span>
                    <small>{h.entity.type}</small>
                  </div>
                ))}
              </div>
            )}
            {open && q.trim().length >= 2 && hits.length === 0 && !err && (
              <div className="suggestions">
                <div className="muted">No match for “{q.trim()}”</div>
              </div>
            )}
          </div>
          {fromChart.length > 0 && (
            <button
              type="button"
              className="small"
              data-testid={`${testId}-selection`}
              title={fromChart.map((p) => p.label).join(', ')}
              onClick={() => add(multiple ? fromChart : fromChart.slice(0, 1))}
            >
              {multiple && fromChart.length > 1 ? `Use the ${fromChart.length} selected` : 'Use selected'}
            </button>
          )}
        </div>
      )}
      {err && <div className="field-error">{err}</div>}
    </div>
  );
}
