// A person's links in the person network, with the calls behind each (how many, between which phones),
// and a way to open the phones and calls behind one link on the chart.
import { useEffect, useState } from 'react';
import type { Subgraph } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, showError } from '../state/app.ts';
import { showRanking } from './run.ts';
import { behindContact, personContacts, type Contact } from './contacts.ts';

export function PersonContacts({ person }: { person: string }) {
  const [data, setData] = useState<{ sub: Subgraph; contacts: Contact[] } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setData(null), [person]);
  const load = async () => {
    setBusy(true);
    try {
      // Person - phone - phone - person: three hops over the phone links only.
      const sub = await api.neighbourhood({
        seeds: [person],
        hops: 3,
        filter: { linkTypes: ['USES', 'OWNS', 'CALLED'] },
        limit: 4000,
      });
      setData({ sub, contacts: personContacts(sub, person) });
    } catch (e) {
      appStore.set((s) => showError(s, e));
    } finally {
      setBusy(false);
    }
  };
  const open = (c: Contact) => {
    if (!data) return;
    const r = chart.addSubgraph(behindContact(data.sub, person, c), `phones behind ${c.label}`);
    if (r.nodes.length) chart.reveal(r.nodes);
    // Size what was added by the current ranking's scores, like everything else on the chart.
    const run = appStore.get().ranking;
    if (run) showRanking(run);
    appStore.set((s) => ({
      ...s,
      selection: { nodes: [person, c.person].filter((id) => chart.graph.hasNode(id)), edge: null },
      notice: `${c.calls} calls over ${c.links.length} links between ${c.phones.length} phones`,
    }));
  };
  if (!data)
    return (
      <button data-testid="load-contacts" disabled={busy} onClick={() => void load()}>
        {busy ? 'Finding contacts…' : 'Contacts through phones'}
      </button>
    );
  if (!data.contacts.length)
    return <p className="small muted">No calls between this person’s phones and other people’s.</p>;
  return (
    <table className="grid" data-testid="contacts">
      <thead>
        <tr>
          <th>Contact (person network)</th>
          <th title="Calls behind the link: summed call counts of the links between their phones">Calls</th>
          <th title="Phones at both ends">Phones</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {data.contacts.slice(0, 30).map((c) => (
          <tr key={c.person}>
            <td>{c.label}</td>
            <td className="num">{c.calls}</td>
            <td className="num">{c.phones.length}</td>
            <td>
              <button className="small" data-testid="open-phones" onClick={() => open(c)}>
                Open phones
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
