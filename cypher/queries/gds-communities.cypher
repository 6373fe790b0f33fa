// The `community` each node of a projected graph was given by gds-louvain-mutate.
CALL gds.graph.nodeProperty.stream($name, 'community')
YIELD nodeId, propertyValue
WITH gds.util.asNode(nodeId) AS e, propertyValue
RETURN e.id AS id, e.label AS label, e.type AS type, propertyValue AS community
