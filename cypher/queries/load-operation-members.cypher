// Rows copied by npm run transfer, as they were.
UNWIND $rows AS row
CREATE (x:OperationMember)
SET x = row
