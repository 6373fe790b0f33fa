// Sessions held (from the count store).
MATCH (s:Session)
RETURN count(s) AS n
