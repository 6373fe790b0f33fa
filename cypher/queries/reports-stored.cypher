// How many reports there are, from Neo4j's count store (reads no node).
RETURN COUNT { (:Report) } AS c
