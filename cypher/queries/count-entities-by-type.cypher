MATCH (e:Entity)
RETURN e.type AS t, count(*) AS c
