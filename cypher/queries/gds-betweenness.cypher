// Exact betweenness (hop counts) over a projected graph.
CALL gds.betweenness.stream($name)
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS e, score
RETURN e.id AS id, e.label AS label, e.type AS type, score
