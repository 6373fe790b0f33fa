// Deletes up to 10,000 nodes with their relationships: npm run transfer -- --replace empties Neo4j in slices.
MATCH (n)
WITH n
LIMIT 10000
DETACH DELETE n
RETURN count(*) AS c
