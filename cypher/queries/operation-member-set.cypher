// Adds a member or changes their role; who added them and when stay as first recorded.
MERGE (m:OperationMember {opId: $opId, user: $user})
ON CREATE SET m.addedBy = $addedBy, m.addedAt = $now
SET m.role = $role
RETURN m {.*} AS m
