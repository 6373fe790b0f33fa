UNWIND $ids AS id
MATCH (d:DeconflictionNotice {id: id})
SET d.audited = true
RETURN count(d) AS n
