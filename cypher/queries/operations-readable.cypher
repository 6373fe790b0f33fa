// Operations a user may read: every open one, and the closed ones they are a member of.
CALL () {
  MATCH (o:Operation {sensitivity: 'open'})
  RETURN o.id AS id, o.n AS n
  UNION
  MATCH (m:OperationMember {user: $user})
  MATCH (o:Operation {id: m.opId})
  RETURN o.id AS id, o.n AS n
}
RETURN id
ORDER BY n
