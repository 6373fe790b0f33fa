// A new operation and its owner as its first member, in the caller's transaction.
CREATE (o:Operation)
SET o = $op
CREATE (m:OperationMember)
SET m.opId = $op.id, m.user = $op.owner, m.role = 'owner', m.addedBy = $op.owner, m.addedAt = $op.createdAt
RETURN o {.*} AS o
