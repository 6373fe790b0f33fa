// Core numbers (k-core decomposition) over a projected graph.
CALL gds.kcore.stream($name)
YIELD nodeId, coreValue
WITH gds.util.asNode(nodeId) AS e, coreValue
RETURN e.id AS id, e.label AS label, e.type AS type, toFloat(coreValue) AS score
