// A counter set after npm run transfer, so the next number follows the copied ones.
MERGE (s:Seq {name: $name})
SET s.v = $v
