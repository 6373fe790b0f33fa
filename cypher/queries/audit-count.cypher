// How many audit records there are, from Neo4j's count store (one lookup, however long the audit has grown).
// A filtered list is counted by audit-count-actor, -action, -time or -filtered (security.ts auditTotal).
RETURN COUNT { (:Audit) } AS c
