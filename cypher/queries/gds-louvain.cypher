// Louvain communities over a projected graph, weighted by link strength when $weight is 'weight'.
CALL gds.louvain.stream($name, { relationshipWeightProperty: $weight, maxLevels: 10, tolerance: 0.0001 })
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).id AS id, communityId AS community
