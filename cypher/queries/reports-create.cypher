UNWIND $rows AS row
CREATE (r:Report)
SET r = row
