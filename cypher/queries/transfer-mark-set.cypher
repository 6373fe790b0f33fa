// The resume marker of npm run transfer, written in the same transaction as the batch it follows.
MERGE (m:Meta {k: 'transfer'})
SET m.resume = $v
