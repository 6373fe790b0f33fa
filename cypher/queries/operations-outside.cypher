// How many operations a scope leaves out: none means the scope reads every fact, and a count of what it sees
// is the count store's (links-page-count.cypher) instead of a scan. Operations are few; this reads them all.
MATCH (o:Operation)
WHERE NOT o.id IN $ops
RETURN count(o) AS c
