// PageRank over a projected graph; $weight is 'weight' (link strengths) or null (every link counts one).
CALL gds.pageRank.stream($name, {
  dampingFactor: $alpha, maxIterations: $maxIterations, tolerance: $tolerance, relationshipWeightProperty: $weight
})
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS e, score
RETURN e.id AS id, e.label AS label, e.type AS type, score
