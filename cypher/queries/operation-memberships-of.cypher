MATCH (m:OperationMember {user: $user})
RETURN m {.*} AS m
