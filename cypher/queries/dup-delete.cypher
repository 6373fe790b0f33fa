// Pairs taken off the queue: a later run no longer proposes them.
UNWIND $ids AS id
MATCH (p:DuplicateProposal {id: id})
DELETE p
