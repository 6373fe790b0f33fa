// Degree over a projected graph: neighbours, or the sum of link strengths when $weight is 'weight'.
CALL gds.degree.stream($name, { relationshipWeightProperty: $weight })
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS e, score
RETURN e.id AS id, e.label AS label, e.type AS type, score
