// The operations migration has run to its end: later start-ups skip its scans of every entity and link.
MATCH (m:Meta {k: 'state'})
SET m.opsMigrated = true
RETURN m.opsMigrated AS done
