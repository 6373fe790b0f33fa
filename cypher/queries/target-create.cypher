// A new target; nested records (analysis, decision, review) are JSON strings.
CREATE (t:Target)
SET t = $row
RETURN t.id AS id
