// Takes the lock of one owner's job claims (their JobOwner node, made on first use): claims for the same
// owner on every server pass one at a time, so each counts what the one before committed.
MERGE (q:JobOwner {ownerId: $ownerId})
SET q.claimedAt = $now
