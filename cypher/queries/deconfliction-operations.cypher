// The two operations of a notice, as the disclose rule needs them.
MATCH (o:Operation)
WHERE o.id IN $ids
RETURN o {.*} AS o
