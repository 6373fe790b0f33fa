MATCH (c:Chart)
RETURN count(c) AS c
