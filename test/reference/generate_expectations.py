#!/usr/bin/python3
"""Reference values for the analysis engine, computed with networkx (Debian's 2.8.8) and python-igraph.

Run: `npm run expectations` (or /usr/bin/python3 test/reference/generate_expectations.py).
Writes test/reference/expected/<graph>.json; test/analysis/*.test.ts compares the TypeScript engine with
them. The JSON is committed, so the tests do not need Python.

Conventions shared with server/analysis (see server/analysis/csr.ts and disruption.ts):
- Link weights are strengths. Path metrics use distance = 1 / weight (edge attribute 'distance').
- Edge lists: a pair listed more than once is one tie; it keeps the largest weight. Labels are trimmed.
- Matrices: symmetric means undirected (upper triangle); otherwise directed, one arc per non-zero cell.
- Weighted betweenness is also taken from igraph ("betweennessWeightedIgraph"), which treats path lengths
  equal within a relative 1e-10 as ties (igraph_cmp_epsilon); networkx compares exactly and can miss tied
  paths whose lengths differ in the last bit (1/3+1/3+1/3+1/2 against 1/3+1/3+1/2+1/3). The engine follows
  igraph, so the tests compare weighted betweenness with igraph's values.
- Node order is file order; ties in the disruption lab go to the highest score, scores within 1e-9 count
  as equal, then the lowest original index.
"""
import csv
import functools
import io
import itertools
import json
import os
import random
import subprocess
import sys

# Set iteration order (and so float summation order) depends on string hashing: fix it so that a re-run
# writes the same bytes.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

try:
    import networkx as nx
except ImportError:  # `npm run expectations` may find a python3 without networkx; Debian's has it.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execve("/usr/bin/python3", ["/usr/bin/python3", *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    raise

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "expected")
DATASETS = os.environ.get("LINKCHART_DATASETS") or os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "datasets")
)
IGRAPH_PYTHON = "/usr/bin/python3"
TIE = 1e-9
STEPS = 8


def read_text(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


def matrix_graph(path):
    rows = [r for r in csv.reader(io.StringIO(read_text(path))) if any(c.strip() for c in r)]
    labels = [c.strip() for c in rows[0][1:]]
    vals = [[float(c) if c.strip() else 0.0 for c in r[1:]] for r in rows[1:]]
    n = len(labels)
    symmetric = all(vals[i][j] == vals[j][i] for i in range(n) for j in range(n))
    G = nx.Graph() if symmetric else nx.DiGraph()
    G.add_nodes_from(labels)
    for i in range(n):
        for j in range(n):
            if i == j or (symmetric and j < i):
                continue
            if vals[i][j] > 0:
                G.add_edge(labels[i], labels[j], weight=vals[i][j])
    return G


def add_tie(G, a, b, w):
    """Both ends as nodes; a self-loop or a zero weight adds no tie; a pair listed again keeps its largest
    weight (the repo's edge-list rule, see the README's Network files)."""
    G.add_node(a)
    G.add_node(b)
    if a == b or w == 0:
        return
    if G.has_edge(a, b):
        G[a][b]["weight"] = max(G[a][b]["weight"], w)
    else:
        G.add_edge(a, b, weight=w)


def whitespace_edgelist_graph(path):
    G = nx.Graph()
    for line in read_text(path).splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        a, b = parts[0].strip(), parts[1].strip()
        w = float(parts[2]) if len(parts) > 2 else 1.0
        add_tie(G, a, b, w)
    return G


def comma_edgelist_graph(path):
    """`person,person[,strength,...]` with names trimmed (krebs_9_11_edgelist.csv)."""
    G = nx.Graph()
    for row in csv.reader(io.StringIO(read_text(path))):
        if len(row) < 2 or not row[0].strip():
            continue
        a, b = row[0].strip(), row[1].strip()
        w = float(row[2]) if len(row) > 2 and row[2].strip() else 1.0
        add_tie(G, a, b, w)
    return G


def igraph_weighted_betweenness(G):
    """igraph's weighted betweenness, from Debian's python3 (which has python-igraph) via igraph_values.py."""
    index = {v: i for i, v in enumerate(G)}
    doc = {
        "directed": G.is_directed(),
        "n": G.number_of_nodes(),
        "edges": [[index[u], index[v], float(d.get("weight", 1.0))] for u, v, d in G.edges(data=True)],
    }
    out = subprocess.run(
        [IGRAPH_PYTHON, os.path.join(HERE, "igraph_values.py")],
        input=json.dumps(doc),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def relabel_str(G):
    return nx.relabel_nodes(G, {v: str(v) for v in G}, copy=True)


def generated_graph():
    G = nx.planted_partition_graph(6, 30, 0.25, 0.01, seed=42)
    rng = random.Random(7)
    for u, v in G.edges():
        G[u][v]["weight"] = float(rng.randint(1, 5))
    return relabel_str(G)


def add_distance(G):
    for u, v, d in G.edges(data=True):
        d["distance"] = 1.0 / d.get("weight", 1.0)


def maybe(f):
    try:
        return f()
    except nx.PowerIterationFailedConvergence:
        return None


def vec(G, d):
    return [float(d[v]) for v in G]


def pairs(s):
    return s * (s - 1) / 2


def state(H, n0, lcc0):
    U = H.to_undirected() if H.is_directed() else H
    comps = [len(c) for c in nx.connected_components(U)]
    lcc = max(comps) if comps else 0
    eff = 0.0
    for _, lengths in nx.all_pairs_shortest_path_length(H):
        eff += sum(1.0 / d for d in lengths.values() if d > 0)
    return {
        "lccShare": lcc / lcc0 if lcc0 else 0.0,
        "components": len(comps),
        "pairwiseConnectivity": sum(pairs(s) for s in comps) / pairs(n0) if n0 > 1 else 0.0,
        "efficiency": eff / (n0 * (n0 - 1)) if n0 > 1 else 0.0,
    }


def tie_compare(scores, index, a, b):
    if abs(scores[a] - scores[b]) <= TIE:
        return index[a] - index[b]
    return -1 if scores[a] > scores[b] else 1


def pick(H, scores, index, minimise=False):
    best = None
    for v in H:
        s = -scores[v] if minimise else scores[v]
        if best is None or s > best[0] + TIE or (abs(s - best[0]) <= TIE and index[v] < index[best[1]]):
            best = (s, v)
    return best[1]


def disruption(G, strategy, steps):
    index = {v: i for i, v in enumerate(G)}
    n0 = G.number_of_nodes()
    U = G.to_undirected() if G.is_directed() else G
    lcc0 = max(len(c) for c in nx.connected_components(U))
    H = G.copy()
    out = []
    if strategy == "block":
        bc = nx.betweenness_centrality(G)
        order = sorted(G, key=functools.cmp_to_key(lambda a, b: tie_compare(bc, index, a, b)))
        H.remove_nodes_from(order[:steps])
        return [{"removed": order[:steps], **state(H, n0, lcc0)}]
    for _ in range(min(steps, n0 - 1)):
        if strategy == "sequential":
            v = pick(H, nx.betweenness_centrality(H), index)
        else:  # greedy key player: the node whose removal leaves the fewest connected pairs
            UH = H.to_undirected() if H.is_directed() else H
            after = {}
            for c in H:
                K = UH.copy()
                K.remove_node(c)
                after[c] = sum(pairs(len(x)) for x in nx.connected_components(K))
            v = pick(H, after, index, minimise=True)
        H.remove_node(v)
        out.append({"removed": v, **state(H, n0, lcc0)})
    return out


def undirected_sum(G):
    """Direction dropped; a pair linked both ways keeps the SUM of the two strengths (as csr.ts does)."""
    if not G.is_directed():
        return G
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1.0)
        if U.has_edge(u, v):
            U[u][v]["weight"] += w
        else:
            U.add_edge(u, v, weight=w)
    return U


def expectations(name, G, source):
    add_distance(G)
    U = undirected_sum(G)
    index = {v: i for i, v in enumerate(G)}
    comps = sorted((len(c) for c in nx.connected_components(U)), reverse=True)
    fixed = [index[v] % 3 for v in G]
    communities = [{v for v in G if index[v] % 3 == k} for k in range(3)]
    communities = [c for c in communities if c]
    louv = nx.community.louvain_communities(U, weight="weight", seed=1)
    degree = dict(G.degree()) if not G.is_directed() else {v: G.in_degree(v) + G.out_degree(v) for v in G}
    metrics = {
        "degree": vec(G, degree),
        "weightedDegree": vec(G, dict(G.degree(weight="weight"))),
        "betweenness": vec(G, nx.betweenness_centrality(G)),
        "betweennessWeighted": vec(G, nx.betweenness_centrality(G, weight="distance")),
        "betweennessWeightedIgraph": igraph_weighted_betweenness(G)["betweennessWeighted"],
        "betweennessRaw": vec(G, nx.betweenness_centrality(G, normalized=False)),
        "closeness": vec(G, nx.closeness_centrality(G)),
        "closenessWeighted": vec(G, nx.closeness_centrality(G, distance="distance")),
        "closenessNoWf": vec(G, nx.closeness_centrality(G, wf_improved=False)),
        "harmonic": vec(G, nx.harmonic_centrality(G)),
        "harmonicWeighted": vec(G, nx.harmonic_centrality(G, distance="distance")),
        "eigenvector": maybe(lambda: vec(G, nx.eigenvector_centrality(G, max_iter=10000, tol=1e-13))),
        "eigenvectorWeighted": maybe(
            lambda: vec(G, nx.eigenvector_centrality(G, max_iter=10000, tol=1e-13, weight="weight"))
        ),
        "pagerank": vec(G, nx.pagerank(G, alpha=0.85, tol=1e-13, max_iter=10000, weight="weight")),
        "pagerankUnweighted": vec(G, nx.pagerank(G, alpha=0.85, tol=1e-13, max_iter=10000, weight=None)),
        "coreNumber": vec(G, nx.core_number(U)),
    }
    doc = {
        "name": name,
        "source": source,
        "networkx": nx.__version__,
        "directed": G.is_directed(),
        "nodes": [str(v) for v in G],
        "edges": [[str(u), str(v), float(d.get("weight", 1.0))] for u, v, d in G.edges(data=True)],
        "metrics": metrics,
        "articulationPoints": sorted((str(v) for v in nx.articulation_points(U)), key=lambda v: index[v]),
        "bridges": sorted(
            [sorted([str(u), str(v)], key=lambda x: index[x]) for u, v in nx.bridges(U)],
            key=lambda p: (index[p[0]], index[p[1]]),
        ),
        "components": comps,
        "modularityOfFixedPartition": {
            "labels": fixed,
            "weighted": nx.community.modularity(U, communities, weight="weight"),
            "unweighted": nx.community.modularity(U, communities, weight=None),
        },
        "louvainModularity": nx.community.modularity(U, louv, weight="weight"),
    }
    if not G.is_directed():
        doc["disruption"] = {
            "tieRule": "highest score; within 1e-9 equal; then lowest original index",
            "sequentialBetweenness": disruption(G, "sequential", STEPS),
            "blockBetweenness": disruption(G, "block", 5),
            "greedyKeyPlayer": disruption(G, "greedy", 5),
        }
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {path}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")


# Key players (server/analysis/keyplayer.ts), on every network in ../shared/datasets under 120 nodes.
KEYPLAYER_NETWORKS = [
    ("caviar", "morselli_caviar.csv", matrix_graph),
    ("cielnet", "morselli_cielnet.csv", matrix_graph),
    ("siren", "morselli_siren.csv", matrix_graph),
    ("togo", "morselli_togo.csv", matrix_graph),
    ("cocaine", "natajaran_cocaine.csv", matrix_graph),
    ("heroin", "natajaran_heroin.csv", matrix_graph),
    ("london_gang", "LONDON_GANG.csv", matrix_graph),
    ("italian_gangs", "ITALIAN_GANGS.csv", matrix_graph),
    ("krebs_9_11", "krebs_9_11_edgelist.csv", comma_edgelist_graph),
    ("montagna_meetings", "Montagna_meetings_edgelist.csv", whitespace_edgelist_graph),
    ("montagna_phonecalls", "Montagna_phonecalls_edgelist.csv", whitespace_edgelist_graph),
]


def kp_fragmentation(U, S):
    H = U.subgraph([v for v in U if v not in S])
    n = H.number_of_nodes()
    if n < 2:
        return 1.0
    return 1.0 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(H)) / (n * (n - 1))


def kp_distance_fragmentation(U, S):
    H = U.subgraph([v for v in U if v not in S])
    n = H.number_of_nodes()
    if n < 2:
        return 1.0
    total = 0.0
    for _, lengths in nx.all_pairs_shortest_path_length(H):
        total += sum(1.0 / d for d in lengths.values() if d > 0)
    return 1.0 - total / (n * (n - 1))


def kp_distances_to_set(U, S):
    return nx.multi_source_dijkstra_path_length(U, set(S), weight=lambda u, v, d: 1)


def kp_reach(U, S, m):
    outside = [v for v in U if v not in S]
    if not outside:
        return 1.0
    d = kp_distances_to_set(U, S)
    return sum(1 for v in outside if v in d and d[v] <= m) / len(outside)


def kp_distance_reach(U, S):
    outside = [v for v in U if v not in S]
    if not outside:
        return 1.0
    d = kp_distances_to_set(U, S)
    return sum(1.0 / d[v] for v in outside if v in d) / len(outside)


def kp_best(U, k):
    """Exact best fragmentation over every set of k nodes (k = 1, 2: brute force with networkx)."""
    nodes = list(U)
    best = None
    for S in itertools.combinations(nodes, k):
        f = kp_fragmentation(U, set(S))
        if best is None or f > best + TIE:
            best = f
    return best


def keyplayer_expectations():
    doc = {"networkx": nx.__version__, "direction": "ignored (undirected copy)", "networks": {}}
    for name, file, reader in KEYPLAYER_NETWORKS:
        G = reader(os.path.join(DATASETS, file))
        U = G.to_undirected() if G.is_directed() else G
        nodes = list(G)
        index = {v: i for i, v in enumerate(nodes)}
        by_degree = sorted(nodes, key=lambda v: (-U.degree(v), index[v]))
        rng = random.Random(20)
        sets = [[]]
        for k in range(1, 5):
            sets.append(by_degree[:k])
            sets.append(rng.sample(nodes, k))
            sets.append(rng.sample(nodes, k))
        cases = []
        for S in sets:
            case = {
                "set": [str(v) for v in S],
                "fragmentation": kp_fragmentation(U, set(S)),
                "distanceFragmentation": kp_distance_fragmentation(U, set(S)),
            }
            if S:
                case["reach1"] = kp_reach(U, set(S), 1)
                case["reach2"] = kp_reach(U, set(S), 2)
                case["distanceReach"] = kp_distance_reach(U, set(S))
            cases.append(case)
        doc["networks"][name] = {
            "file": file,
            "nodes": [str(v) for v in nodes],
            "cases": cases,
            "bestFragmentation": {"1": kp_best(U, 1), "2": kp_best(U, 2)},
        }
        print(f"key players: {name}, {len(nodes)} nodes")
    path = os.path.join(OUT, "keyplayer.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {path}")


def weighted_ties_expectations():
    """Weighted betweenness where tied paths differ by rounding: igraph (tolerant) and networkx (exact)."""
    doc = {"networkx": nx.__version__, "networks": {}}
    for name, file, reader in [
        ("london_gang", "LONDON_GANG.csv", matrix_graph),
        ("montagna_meetings", "Montagna_meetings_edgelist.csv", whitespace_edgelist_graph),
        ("montagna_phonecalls", "Montagna_phonecalls_edgelist.csv", whitespace_edgelist_graph),
    ]:
        G = reader(os.path.join(DATASETS, file))
        add_distance(G)
        ig_out = igraph_weighted_betweenness(G)
        doc["igraph"] = ig_out["igraph"]
        doc["networks"][name] = {
            "file": file,
            "directed": G.is_directed(),
            "nodes": [str(v) for v in G],
            "edges": [[str(u), str(v), float(d.get("weight", 1.0))] for u, v, d in G.edges(data=True)],
            "igraph": ig_out["betweennessWeighted"],
            "networkx": vec(G, nx.betweenness_centrality(G, weight="distance")),
        }
    path = os.path.join(OUT, "weighted-ties.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {path}")


def main():
    os.makedirs(OUT, exist_ok=True)
    expectations("karate", relabel_str(nx.karate_club_graph()), "networkx karate_club_graph (weighted)")
    expectations("florentine", nx.florentine_families_graph(), "networkx florentine_families_graph")
    expectations("krackhardt", relabel_str(nx.krackhardt_kite_graph()), "networkx krackhardt_kite_graph")
    expectations("generated", generated_graph(), "planted_partition_graph(6, 30, 0.25, 0.01, seed=42)")
    if not os.path.isdir(DATASETS):
        print(f"skipping real networks: {DATASETS} is absent")
        return
    for name, file, reader in [
        ("siren", "morselli_siren.csv", matrix_graph),
        ("london_gang", "LONDON_GANG.csv", matrix_graph),
        ("montagna_meetings", "Montagna_meetings_edgelist.csv", whitespace_edgelist_graph),
        ("caviar", "morselli_caviar.csv", matrix_graph),
    ]:
        expectations(name, reader(os.path.join(DATASETS, file)), f"../shared/datasets/{file}")
    keyplayer_expectations()
    weighted_ties_expectations()


if __name__ == "__main__":
    main()
