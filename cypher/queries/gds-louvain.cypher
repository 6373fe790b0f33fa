// Louvain communities over a projected graph, weighted by link strength when $weight is 'weight'.
CALL gds.louvain.stream($name, { relationshipWeightProperty: $weight, maxLevels: 10, tolerance: 0.0001 })
YIELD nodeId, communityId
WITH gds.util.asNode(nodeId) AS e, communityId
RETURN e.id AS id, e.label AS label, e.type AS type, communityId AS community
