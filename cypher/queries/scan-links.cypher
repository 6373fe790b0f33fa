// Every link of one type (LINK_TYPE, from the domain's allow-list) in one streamed read, in no order, for the
// digest npm run transfer verifies a copy by; `$of` parallel reads each take the links whose number leaves `$k`
// over `$of`.
MATCH (a:Entity)-[l:LINK_TYPE]->(b:Entity)
WHERE l.n % $of = $k
RETURN l {.*, type: 'LINK_TYPE', from: a.id, to: b.id} AS x
