// Exact betweenness (hop counts) over a projected graph.
CALL gds.betweenness.stream($name)
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
