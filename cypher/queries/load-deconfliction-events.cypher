// Rows copied by npm run transfer, each step numbered in its notice's log as it was.
UNWIND $rows AS row
CREATE (x:DeconflictionEvent)
SET x = row
