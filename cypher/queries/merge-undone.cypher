MATCH (m:Merge {id: $id})
SET m.undone = true
