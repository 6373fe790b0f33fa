MATCH (m:Merge)
RETURN count(m) AS c
