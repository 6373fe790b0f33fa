// Search with suggestions from the store; Enter or click adds the entity to the chart and selects it.
import { forwardRef, useEffect, useRef, useState } from 'react';
import { api, type SearchHitDto } from '../api/client.ts';
import { addEntity, fail } from '../actions.ts';
import { iconUrl } from '../graph/style.ts';

/**
 * What tells namesakes apart: a person's date of birth and reference; for anything else, its identifier
 * when that is not already its label.
 */
export function hitDetail(h: SearchHitDto): string {
  const p = h.entity.properties ?? {};
  const text = (k: string) => (typeof p[k] === 'string' || typeof p[k] === 'number' ? String(p[k]) : '');
  if (h.entity.type === 'Person') {
    const dob = text('dob');
    const ref = text('externalRef') || text('reference');
    return [dob ? `born ${dob}` : 'no date of birth', ref ? `ref ${ref}` : ''].filter(Boolean).join(' · ');
  }
  return h.entity.key && h.entity.key.toLowerCase() !== h.entity.label.toLowerCase() ? h.entity.key : '';
}

export const SearchBox = forwardRef<HTMLInputElement>(function SearchBox(_props, ref) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHitDto[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setHits([]);
      return;
    }
    const mine = ++seq.current;
    const t = setTimeout(() => {
      api
        .search(text, 12)
        .then((h) => {
          if (mine === seq.current) {
            setHits(h);
            setActive(0);
            setOpen(true);
          }
        })
        .catch(fail);
    }, 150);
    return () => clearTimeout(t);
  }, [q]);

  const choose = (h: SearchHitDto | undefined): void => {
    if (!h) return;
    setOpen(false);
    setQ('');
    void addEntity(h.entity.id);
  };

  return (
    <div className="search">
      <input
        ref={ref}
        data-testid="search"
        placeholder="Search people, phones, vehicles…  ( / )"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') choose(hits[active]);
          else if (e.key === 'Escape') {
            setOpen(false);
            (e.target as HTMLInputElement).blur();
          } else return;
          e.preventDefault();
        }}
      />
      {open && hits.length > 0 && (
        <div className="suggestions" data-testid="suggestions">
          {hits.map((h, i) => (
            <div
              key={h.entity.id}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(h);
              }}
            >
              <img src={iconUrl(h.entity.type)} alt="" />
              <span className="hit-text">
                <span>{h.entity.label}</span>
                {hitDetail(h) && (
                  <span className="hit-detail" data-testid="hit-detail">
                    {hitDetail(h)}
                  </span>
                )}
              </span>
              <small>
                {h.match === 'similar' ? 'similar name · ' : ''}
                {h.entity.type}
              </small>
            </div>
          ))}
        </div>
      )}
      {open && q.trim().length >= 2 && hits.length === 0 && (
        <div className="suggestions">
          <div className="muted">No match for “{q.trim()}”</div>
        </div>
      )}
    </div>
  );
});
