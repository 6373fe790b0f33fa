// Append-only by convention: no query in cypher/ updates or deletes an Audit node.
// $rows arrive chained and in seq order (one transaction per group of records).
UNWIND $rows AS row
CREATE (a:Audit)
SET a = row
