// Every link of one type (LINK_TYPE, from the domain's allow-list) in one streamed read, in no order, for the
// digest npm run transfer verifies a copy by; `$of` parallel reads each take the links whose number leaves `$k`
// over `$of`. Each row is a list of the stored fields the digest covers, in the order of LINK_SCAN_COLUMNS
// (server/store/transfer/neo4j.ts): a list decodes at a fraction of a map's cost (no key strings), and what the
// store derives (n, firstMs, lastMs, grades) is not sent at all.
MATCH (a:Entity)-[l:LINK_TYPE]->(b:Entity)
WHERE l.n % $of = $k
RETURN [l.id, 'LINK_TYPE', a.id, b.id, l.directed, l.weight, l.firstSeen, l.lastSeen, l.props, l.createdAt,
  l.updatedAt, l.reports, l.imports, l.ops] AS x
