// The stored state, fingerprint and operations of the pairs a resolver run proposes (the duplicate queue).
UNWIND $ids AS id
MATCH (p:DuplicateProposal {id: id})
RETURN p.id AS id, p.state AS state, p.fingerprint AS fingerprint, p.ops AS ops
