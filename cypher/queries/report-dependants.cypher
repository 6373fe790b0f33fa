// Entities and links resting on report $id, and which rest on it alone.
OPTIONAL MATCH (e:Entity)
WHERE $id IN e.reports AND size(e.reports) = 1
WITH collect(e.id) AS soleEntities
OPTIONAL MATCH (a:Entity)-[l]->(b:Entity)
WHERE $id IN l.reports
WITH soleEntities, collect(l {.*, type: type(l), from: a.id, to: b.id}) AS affected
RETURN soleEntities, [x IN affected WHERE size(x.reports) = 1 | x.id] AS soleLinks, affected
