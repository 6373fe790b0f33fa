// Rows copied by npm run transfer, ids as they were. MERGE on the kind's key, so a batch written again (a resumed
// transfer, a target that already holds some of the rows) changes nothing.
// The relationship type is the link type, checked against LINK_TYPES before the call.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
USING INDEX a:Entity(id)
MATCH (b:Entity {id: row.to})
USING INDEX b:Entity(id)
MERGE (a)-[l:$(row.type) {id: row.props.id}]->(b)
SET l = row.props
