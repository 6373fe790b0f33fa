MATCH (d:Draft {owner: $owner})
WHERE coalesce(d.op, 'op1') = $op
RETURN d {.*} AS d
