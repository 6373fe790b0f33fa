// Append-only by convention: no query in cypher/ updates or deletes an Audit node.
CREATE (a:Audit)
SET a = $row
