// The data version, and the epoch of the data it counts in (a new one each time a transfer loads the store:
// context.ts seeEpoch, where a server drops what it remembered of the data that was there before).
OPTIONAL MATCH (m:Meta {k: 'state'})
RETURN coalesce(m.dataVersion, 0) AS v, m.epoch AS epoch
