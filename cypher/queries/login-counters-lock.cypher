// The sign-in throttle's counters of one attempt's keys, each write-locked until the transaction ends (so a
// second server counting the same key waits); a key not seen before is created empty (count null).
UNWIND $keys AS k
MERGE (c:LoginCounter {key: k})
SET c.lockedBy = $token
RETURN k AS key, c {.count, .pending, .pendingUntil, .windowStart, .lockedUntil} AS c
