// Every call and sighting in one streamed read, in no order, for the digest npm run transfer verifies a copy by;
// `$of` parallel reads each take the events whose number leaves `$k` over `$of`.
MATCH (v:LinkEvent)
WHERE v.n % $of = $k
RETURN v {.*} AS x
