// Full-text search; $q is built by luceneQuery() from plain words, never passed through from a user.
CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node, score
WHERE ($types IS NULL OR node.type IN $types) AND ($ops IS NULL OR any(o IN node.ops WHERE o IN $ops))
RETURN node {.*} AS e, score
ORDER BY score DESC
LIMIT $limit
