"""Betweenness (networkx, normalised, undirected) of a graph given as JSON on stdin:
{"nodes": [id, ...], "edges": [[a, b, weight], ...], "weighted": bool}. Parallel links are folded with
their strengths summed (as the server's CSR does); a weighted run reads each link's distance as 1 / strength.
Prints {id: score} as JSON. Used by test/api/analysis-scope.test.ts as the independent reference."""
import json
import sys

import networkx as nx

spec = json.load(sys.stdin)
g = nx.Graph()
g.add_nodes_from(spec["nodes"])
for a, b, w in spec["edges"]:
    if a == b:
        continue
    if g.has_edge(a, b):
        g[a][b]["weight"] += w
    else:
        g.add_edge(a, b, weight=w)
for _, _, d in g.edges(data=True):
    d["distance"] = 1.0 / d["weight"]
scores = nx.betweenness_centrality(g, normalized=True, weight="distance" if spec.get("weighted") else None)
json.dump(scores, sys.stdout)
