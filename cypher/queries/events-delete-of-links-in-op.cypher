// Removes the calls and reads of the listed links, only those operation $op brought when it is given (a
// delete in one operation of a link others hold too); returns how many went.
MATCH (v:LinkEvent)
WHERE v.linkId IN $ids AND ($op IS NULL OR v.op = $op)
WITH v
DETACH DELETE v
RETURN count(*) AS n
