// Every entity in one streamed read, in no order, for the digest npm run transfer verifies a copy by (the digest
// does not depend on order, so no index is needed: it runs while the schema is still being built). `$of`
// parallel reads each take the entities whose number leaves `$k` over `$of`.
MATCH (e:Entity)
WHERE e.n % $of = $k
RETURN e {.*} AS x
