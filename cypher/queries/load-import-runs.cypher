// Rows copied by npm run transfer, as they were.
UNWIND $rows AS row
CREATE (x:ImportRun)
SET x = row
