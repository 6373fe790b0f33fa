// The relationship type is the link type, checked against LINK_TYPES before the call.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[l:$(row.type)]->(b)
SET l = row.props
