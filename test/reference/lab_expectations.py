#!/usr/bin/python3
"""Reference values for the disruption lab (server/analysis/strategies.ts, recovery.ts), from networkx.

Run: /usr/bin/python3 test/reference/lab_expectations.py
Reads the graphs of test/reference/expected/<name>.json (written by generate_expectations.py; undirected
ones only) and writes test/reference/expected/lab/<name>.json with, for k = 5:
- topk:       the 5 highest by betweenness on the intact graph (tie rule of generate_expectations.py),
              removed in that order; after each removal lccShare, components, pairwiseConnectivity,
              efficiency (1/d over ordered pairs / n0(n0-1), NOT networkx's renormalised global_efficiency)
              and Borgatti's fragmentation over the REMAINING nodes
- sequential: betweenness recomputed after each removal, the same measures
- own:        the nodes at indices n-1, 0 and n//2, in that order, the same measures
- betweenness: networkx's normalised betweenness of the intact graph (what recovery.ts reports as a
              successor's "before", the operational review's measure)
"""
import functools
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate_expectations as ge  # noqa: E402  (same tie rule, same state(); fixes PYTHONHASHSEED)

nx = ge.nx
K = 5
OUT = os.path.join(HERE, "expected", "lab")


def fragmentation(H):
    comps = [len(c) for c in nx.connected_components(H)]
    n = sum(comps)
    if n < 2:
        return 1.0
    return 1.0 - sum(s * (s - 1) for s in comps) / (n * (n - 1))


def curve(G, order):
    n0 = G.number_of_nodes()
    lcc0 = max(len(c) for c in nx.connected_components(G))
    H = G.copy()
    out = [{"removed": None, **ge.state(H, n0, lcc0), "fragmentation": fragmentation(H)}]
    for v in order:
        H.remove_node(v)
        out.append({"removed": v, **ge.state(H, n0, lcc0), "fragmentation": fragmentation(H)})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in sorted(os.listdir(os.path.join(HERE, "expected"))):
        if not f.endswith(".json"):
            continue
        exp = json.load(open(os.path.join(HERE, "expected", f), encoding="utf-8"))
        if exp["directed"]:
            continue
        G = nx.Graph()
        G.add_nodes_from(exp["nodes"])
        for u, v, w in exp["edges"]:
            G.add_edge(u, v, weight=w)
        index = {v: i for i, v in enumerate(G)}
        k = min(K, G.number_of_nodes() - 2)
        bc = nx.betweenness_centrality(G)
        top = sorted(G, key=functools.cmp_to_key(lambda a, b: ge.tie_compare(bc, index, a, b)))[:k]
        H = G.copy()
        seq = []
        for _ in range(k):
            v = ge.pick(H, nx.betweenness_centrality(H), index)
            H.remove_node(v)
            seq.append(v)
        nodes = list(G)
        own = [nodes[-1], nodes[0], nodes[len(nodes) // 2]]
        result = {
            "name": exp["name"],
            "k": k,
            "topk": curve(G, top),
            "sequential": curve(G, seq),
            "own": curve(G, own),
            "betweenness": [float(bc[v]) for v in G],
        }
        with open(os.path.join(OUT, f), "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1, sort_keys=True)
            fh.write("\n")
        print(f"{exp['name']}: wrote {os.path.join(OUT, f)}")


if __name__ == "__main__":
    main()
