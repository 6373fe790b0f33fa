// Connected components (weakly connected: the projection is undirected) over a projected graph.
CALL gds.wcc.stream($name)
YIELD nodeId, componentId
WITH gds.util.asNode(nodeId) AS e, componentId
RETURN e.id AS id, e.label AS label, e.type AS type, componentId AS component
