// Rows copied by npm run transfer, ids as they were.
UNWIND $rows AS row
CREATE (x:DeconflictionNotice)
SET x = row
