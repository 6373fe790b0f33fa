MATCH (m:OperationMember {opId: $opId})
RETURN m {.*} AS m
ORDER BY m.user
