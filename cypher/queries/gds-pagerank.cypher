// PageRank over a projected graph; $weight is 'weight' (link strengths) or null (every link counts one).
CALL gds.pageRank.stream($name, {
  dampingFactor: $alpha, maxIterations: $maxIterations, tolerance: $tolerance, relationshipWeightProperty: $weight
})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
