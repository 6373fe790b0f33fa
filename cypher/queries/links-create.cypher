// Index hints keep the plan an index seek even when it was first planned on an empty database.
// New links. The relationship type is the link type, checked against LINK_TYPES before the call. Properties
// are set one by one (not SET l = map), which spares the planner an Eager barrier over the whole batch.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
USING INDEX a:Entity(id)
MATCH (b:Entity {id: row.to})
USING INDEX b:Entity(id)
CREATE (a)-[l:$(row.type)]->(b)
SET l.id = row.props.id, l.n = row.props.n, l.directed = row.props.directed, l.weight = row.props.weight,
  l.firstSeen = row.props.firstSeen, l.lastSeen = row.props.lastSeen, l.firstMs = row.props.firstMs,
  l.lastMs = row.props.lastMs, l.props = row.props.props, l.grades = row.props.grades, l.reports = row.props.reports,
  l.imports = row.props.imports, l.ops = row.props.ops, l.createdAt = row.props.createdAt, l.updatedAt = row.props.updatedAt
