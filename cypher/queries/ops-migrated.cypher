// Whether the operations migration has run to its end on this database (set by ops-migrated-mark).
MATCH (m:Meta {k: 'state'})
RETURN coalesce(m.opsMigrated, false) AS done
