// Index hints keep the plan an index seek even when it was first planned on an empty database.
// A write batch's new links: what differs link by link in $rows, what they all share ($imports, $ops, $createdAt,
// $updatedAt) once. The relationship type is the link type, checked against LINK_TYPES before the
// call. Properties are set one by one (not SET l = map), which spares the planner an Eager barrier.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
USING INDEX a:Entity(id)
MATCH (b:Entity {id: row.to})
USING INDEX b:Entity(id)
CREATE (a)-[l:$(row.type)]->(b)
SET l.id = row.id, l.n = row.n, l.directed = row.directed, l.weight = row.weight, l.firstSeen = row.firstSeen,
  l.lastSeen = row.lastSeen, l.firstMs = row.firstMs, l.lastMs = row.lastMs, l.props = row.props,
  l.grades = row.grades, l.reports = row.reports, l.imports = $imports, l.ops = $ops, l.createdAt = $createdAt,
  l.updatedAt = $updatedAt
