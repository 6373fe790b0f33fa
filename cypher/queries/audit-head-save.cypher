// The new head of the audit chain, in the group transaction that took its lock (audit-head-lock).
MATCH (h:Meta {k: 'audit'})
SET h.seq = $seq, h.hash = $hash
