// Next target (or target action) number from its counter; MERGE on the unique Seq name locks the counter.
MERGE (s:Seq {name: $name})
ON CREATE SET s.v = 0
SET s.v = s.v + 1
RETURN s.v AS n
