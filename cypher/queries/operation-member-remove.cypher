MATCH (m:OperationMember {opId: $opId, user: $user})
DELETE m
