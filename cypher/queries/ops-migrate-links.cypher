// Operations migration, step 3: links from before operations go into GENERAL.
MATCH (:Entity)-[l]->(:Entity)
WHERE l.ops IS NULL
CALL (l) {
  SET l.ops = [$op]
} IN TRANSACTIONS OF 10000 ROWS
