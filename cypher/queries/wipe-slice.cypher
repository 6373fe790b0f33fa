// Deletes up to 2,000 nodes with their relationships: npm run transfer -- --replace empties Neo4j in slices.
MATCH (n)
WITH n
LIMIT 2000
DETACH DELETE n
RETURN count(*) AS c
