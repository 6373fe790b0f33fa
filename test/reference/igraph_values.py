#!/usr/bin/python3
"""igraph's values for generate_expectations.py, which may run under a python without python-igraph.

Reads {"directed": bool, "n": int, "edges": [[u, v, weight], ...]} on stdin (node indices) and prints
{"betweennessWeighted": [...]}: igraph's betweenness with distance = 1/weight, scaled like networkx's
normalised betweenness (divided by (n-1)(n-2), times 2 when undirected). igraph compares path lengths with a
relative tolerance of 1e-10 (igraph_cmp_epsilon), so paths whose lengths differ only by rounding are ties.
"""
import json
import sys

import igraph as ig

doc = json.load(sys.stdin)
n = doc["n"]
directed = doc["directed"]
H = ig.Graph(n=n, directed=directed)
H.add_edges([(u, v) for u, v, _ in doc["edges"]])
raw = H.betweenness(weights=[1.0 / w for _, _, w in doc["edges"]], directed=directed)
scale = (1.0 if directed else 2.0) / ((n - 1) * (n - 2)) if n > 2 else 0.0
print(json.dumps({"igraph": ig.__version__, "betweennessWeighted": [float(b) * scale for b in raw]}))
