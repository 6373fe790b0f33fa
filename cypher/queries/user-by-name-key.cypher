// A user by its folded name (server/domain/names.ts foldName): one account however the name is typed.
MATCH (u:User {nameKey: $key})
RETURN u {.*} AS u
