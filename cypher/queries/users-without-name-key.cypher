// Users not yet given their folded name (from before names were folded, or copied in by npm run transfer),
// oldest first.
MATCH (u:User)
WHERE u.nameKey IS NULL
RETURN u {.*} AS u
ORDER BY u.n
