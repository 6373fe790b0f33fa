// Every entity in one streamed read, in no order, for the digest npm run transfer verifies a copy by (the digest
// does not depend on order, so no index is needed: it runs while the schema is still being built). `$of`
// parallel reads each take the entities whose number leaves `$k` over `$of`. Each row is a list in the order of
// ENTITY_SCAN_COLUMNS (server/store/transfer/neo4j.ts), without what the store derives (n, search).
MATCH (e:Entity)
WHERE e.n % $of = $k
RETURN [e.id, e.type, e.key, e.label, e.props, e.reviewDate, e.createdAt, e.updatedAt, e.reports, e.imports, e.ops,
  e.opProps] AS x
