// Top bar: search and the main actions, grouped so it fits a 1366-pixel laptop screen.
import type { RefObject } from 'react';
import { LINK_TYPES, ENTITY_TYPES } from '@domain/model.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { expand, hideSelected, loadView, redo, removeSelected, shortestPath, undo } from '../actions.ts';
import { deleteSelectedFromStore, mergeSelected, undoMerge } from '../drawing.ts';
import { newChart } from '../charts.ts';
import { SearchBox } from './SearchBox.tsx';
import { Menu } from './Menu.tsx';
import { AccountMenu } from './AccountMenu.tsx';
import { mayWriteIn } from '../state/operation.ts';

export function TopBar(props: { searchRef: RefObject<HTMLInputElement | null> }) {
  const sel = useApp((s) => s.selection.nodes);
  const edgeSel = useApp((s) => s.selection.edge);
  const history = useApp((s) => s.history);
  const lasso = useApp((s) => s.lasso);
  const user = useApp((s) => s.user);
  const op = useApp((s) => s.operation.current);
  const chartName = useApp((s) => s.chart.name);
  const lastMerge = useApp((s) => s.lastMerge);
  const none = sel.length === 0;
  return (
    <header className="topbar">
      <div className="brand">
        Linkchart<small>{chartName}</small>
      </div>
      <SearchBox ref={props.searchRef} />
      <div className="sep" />
      <div className="group">
        <Menu
          label="Expand"
          testId="expand-menu"
          title="Bring in neighbours of the selected entities (e)"
          items={[
            { label: 'All neighbours  (e)', onClick: () => void expand(sel), disabled: none },
            { label: 'Whole view (all the filters let through)…', onClick: () => void loadView() },
            { label: 'Ego network, 2 hops', onClick: () => void expand(sel, { hops: 2 }), disabled: none },
            'sep',
            ...LINK_TYPES.map((t) => ({
              label: `by link: ${t.toLowerCase().replace(/_/g, ' ')}`,
              onClick: () => void expand(sel, { linkTypes: [t] }),
              disabled: none,
            })),
            'sep',
            ...ENTITY_TYPES.map((t) => ({
              label: `by entity: ${t}`,
              onClick: () => void expand(sel, { entityTypes: [t] }),
              disabled: none,
            })),
          ]}
        />
        <button
          disabled={sel.length !== 2}
          onClick={() => void shortestPath()}
          title="Shortest path between the two selected entities"
        >
          Path
        </button>
        <button
          disabled={none}
          onClick={hideSelected}
          title="Hide the selected entities (they stay on the chart)"
        >
          Hide
        </button>
        <button disabled={none && !edgeSel} onClick={removeSelected} title="Remove from the chart (Delete)">
          Remove
        </button>
        <button disabled={none} onClick={() => chart.togglePin(sel)} title="Pin: forces will not move it">
          Pin
        </button>
        <button
          className={lasso ? 'on' : ''}
          onClick={() => appStore.set((s) => ({ ...s, lasso: !s.lasso }))}
          title="Lasso select (l)"
        >
          Lasso
        </button>
      </div>
      <div className="sep" />
      <Menu
        label="Draw"
        testId="draw-menu"
        items={[
          {
            label: 'New entity…',
            onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'entity' } })),
          },
          {
            label: 'New link…',
            title: 'Between the two selected entities, or two you search for',
            onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'link' } })),
          },
          'sep',
          {
            label: 'Edit selected…',
            onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'entity', editId: sel[0] } })),
            disabled: sel.length !== 1,
          },
          { label: 'Merge 2nd into 1st…', onClick: () => void mergeSelected(), disabled: sel.length !== 2 },
          { label: 'Undo last merge', onClick: () => void undoMerge(), disabled: !lastMerge },
          {
            label: 'Possible duplicates…',
            title: 'Pairs of records that are probably one person, phone or vehicle, to merge or keep apart',
            onClick: () => appStore.set((s) => ({ ...s, dialog: { kind: 'duplicates' } })),
          },
          'sep',
          {
            label: 'Delete from store…',
            onClick: () => void deleteSelectedFromStore(),
            disabled: none && !edgeSel,
          },
        ]}
      />
      <button disabled={!history.past.length} onClick={() => void undo()} title="Undo (ctrl-z)">
        ↶
      </button>
      <button disabled={!history.future.length} onClick={() => void redo()} title="Redo (ctrl-y)">
        ↷
      </button>
      <div className="sep" />
      <button
        data-testid="new-chart"
        title="Start an empty chart (asks first if this one has unsaved changes)"
        onClick={() => void newChart()}
      >
        New chart
      </button>
      <button
        data-testid="charts-button"
        onClick={() => appStore.set((s) => ({ ...s, dialog: { kind: 'charts' } }))}
      >
        Charts
      </button>
      <button
        data-testid="import-button"
        disabled={user?.role === 'viewer' || !mayWriteIn(op, user?.role)}
        title={
          op && !mayWriteIn(op, user?.role)
            ? `Your role in operation ${op.ref} does not allow writing in it`
            : 'Import call data records, ANPR reads, entities, links or network files'
        }
        onClick={() => appStore.set((s) => ({ ...s, dialog: { kind: 'import' } }))}
      >
        Import
      </button>
      <button
        data-testid="export-button"
        onClick={() => appStore.set((s) => ({ ...s, dialog: { kind: 'export' } }))}
      >
        Export
      </button>
      <button
        data-testid="cycle-button"
        title="Priorities, targets and operational review"
        onClick={() =>
          appStore.set((s) => ({ ...s, dialog: s.dialog?.kind === 'cycle' ? null : { kind: 'cycle' } }))
        }
      >
        Cycle
      </button>
      <div className="spacer" />
      <AccountMenu />
    </header>
  );
}
