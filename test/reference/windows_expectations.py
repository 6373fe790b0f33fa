#!/usr/bin/python3
"""Reference values for metrics over time windows (server/analysis/windows.ts, the "windows" job), from networkx.

Run: /usr/bin/python3 test/reference/windows_expectations.py
Writes test/reference/expected/windows.json: a small call network over four months (seven people, their
phones, one phone nobody is known to use), the calendar months of the range, and for each month the network
built from the calls inside it, as the server's view builds it:
- every person is in every month: their USES links to their phones are undated, and undated links are kept
  in every window; a phone with a user is folded into that user; a phone without one stays a node when it
  has a call in the month;
- a pair's link weight is its calls in the month (both directions and all the pair's phones summed); calls
  between one person's own phones are a self-loop, dropped;
- betweenness: networkx betweenness_centrality, unweighted, normalised over the month's nodes (isolated
  people included); weightedDegree: the calls of a person in the month (networkx degree(weight)).
Ranks among people: by score, highest first, equal scores by label (the tests name people by label).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate_expectations as ge  # noqa: E402  (fixes PYTHONHASHSEED; Debian's networkx)

nx = ge.nx
OUT = os.path.join(HERE, "expected", "windows.json")

PEOPLE = {
    "Ann Archer": ["07700 900101", "07700 900102"],
    "Ben Bolt": ["07700 900103"],
    "Cal Crane": ["07700 900104"],
    "Dee Dunn": ["07700 900105"],
    "Eve Eades": ["07700 900106"],
    "Fay Frost": ["07700 900107"],
    "Gus Gale": ["07700 900108"],
}
UNKNOWN = "07700 900199"
RANGE = {"step": "month", "from": "2024-01-15", "to": "2024-04-10"}
WINDOWS = [
    {"from": "2024-01-01", "to": "2024-01-31", "label": "Jan 24"},
    {"from": "2024-02-01", "to": "2024-02-29", "label": "Feb 24"},
    {"from": "2024-03-01", "to": "2024-03-31", "label": "Mar 24"},
    {"from": "2024-04-01", "to": "2024-04-30", "label": "Apr 24"},
]
TOP = 3

P = {name: phones[0] for name, phones in PEOPLE.items()}
A2 = PEOPLE["Ann Archer"][1]


def c(a, b, when, seconds=60):
    return [a, b, when, seconds]


# January and February: Ann brokers between Ben/Cal and Dee/Eve. March: Ann is gone; the chain runs
# Ben-Cal-Dee-Eve-Fay-Gus and the unknown phone calls Cal. April: Cal is the hub.
CALLS = [
    c(P["Ben Bolt"], P["Ann Archer"], "2024-01-03 09:00:00"),
    c(P["Ann Archer"], P["Ben Bolt"], "2024-01-03 09:30:00"),
    c(P["Cal Crane"], A2, "2024-01-09 21:15:00"),
    c(P["Ann Archer"], P["Dee Dunn"], "2024-01-12 11:00:00"),
    c(P["Dee Dunn"], P["Eve Eades"], "2024-01-20 18:45:00"),
    c(P["Ann Archer"], A2, "2024-01-25 08:00:00"),  # her own two phones: no link
    c(P["Ben Bolt"], P["Cal Crane"], "2024-01-31 23:30:00"),  # the last half hour of January
    c(P["Cal Crane"], P["Ann Archer"], "2024-02-01 00:10:00"),  # the first minutes of February
    c(P["Ann Archer"], P["Dee Dunn"], "2024-02-05 10:00:00"),
    c(A2, P["Dee Dunn"], "2024-02-06 10:00:00"),
    c(P["Ben Bolt"], P["Ann Archer"], "2024-02-14 16:20:00"),
    c(P["Eve Eades"], P["Fay Frost"], "2024-02-20 13:00:00"),
    c(P["Dee Dunn"], P["Eve Eades"], "2024-02-27 19:30:00"),
    c(P["Ben Bolt"], P["Cal Crane"], "2024-03-02 12:00:00"),
    c(P["Cal Crane"], P["Dee Dunn"], "2024-03-04 12:00:00"),
    c(P["Dee Dunn"], P["Eve Eades"], "2024-03-08 20:00:00"),
    c(P["Eve Eades"], P["Fay Frost"], "2024-03-15 07:40:00"),
    c(P["Fay Frost"], P["Gus Gale"], "2024-03-22 22:05:00"),
    c(UNKNOWN, P["Cal Crane"], "2024-03-29 03:00:00"),
    c(P["Cal Crane"], P["Ben Bolt"], "2024-04-01 09:00:00"),
    c(P["Cal Crane"], P["Dee Dunn"], "2024-04-02 09:00:00"),
    c(P["Cal Crane"], P["Eve Eades"], "2024-04-03 09:00:00"),
    c(P["Cal Crane"], P["Fay Frost"], "2024-04-04 09:00:00"),
    c(P["Fay Frost"], P["Gus Gale"], "2024-04-05 09:00:00"),
    c(P["Fay Frost"], P["Gus Gale"], "2024-04-06 09:00:00"),
    c(P["Dee Dunn"], P["Cal Crane"], "2024-04-08 09:00:00"),
]
OWNER = {phone: name for name, phones in PEOPLE.items() for phone in phones}


def month_graph(w):
    G = nx.Graph()
    G.add_nodes_from(PEOPLE)
    for a, b, when, _ in CALLS:
        day = when[:10]
        if not (w["from"] <= day <= w["to"]):
            continue
        u, v = OWNER.get(a, a), OWNER.get(b, b)
        if u == v:
            continue
        G.add_edge(u, v, weight=G.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    return G


def ranked(scores):
    order = sorted(PEOPLE, key=lambda p: (-scores[p], p))
    return {p: i + 1 for i, p in enumerate(order)}, order


def main():
    out_windows = []
    for w in WINDOWS:
        G = month_graph(w)
        metrics = {
            "betweenness": nx.betweenness_centrality(G, normalized=True),
            "weightedDegree": {n: float(d) for n, d in G.degree(weight="weight")},
        }
        entry = {**w, "nodes": G.number_of_nodes(), "links": G.number_of_edges(), "metrics": {}}
        for name, all_scores in metrics.items():
            scores = {p: all_scores[p] for p in PEOPLE}
            rank, order = ranked(scores)
            # A top K cut inside a tie would depend on the tie rule's ids: the reference avoids one.
            cut_tied = len(order) > TOP and abs(scores[order[TOP - 1]] - scores[order[TOP]]) <= 1e-9
            entry["metrics"][name] = {
                "scores": scores,
                "ranks": rank,
                "top": order[:TOP],
                "topCutInTie": cut_tied,
            }
        out_windows.append(entry)
    doc = {
        "about": "written by test/reference/windows_expectations.py (networkx %s)" % nx.__version__,
        "people": PEOPLE,
        "unknownPhone": UNKNOWN,
        "calls": CALLS,
        "range": RANGE,
        "top": TOP,
        "windows": out_windows,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
