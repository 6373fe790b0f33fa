// Counters and data version at the end of a write transaction.
MATCH (m:Meta {k: 'state'})
SET m += $m
