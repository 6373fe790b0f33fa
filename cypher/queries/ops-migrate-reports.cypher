// Operations migration, step 4: reports and events from before operations go into GENERAL.
CALL () {
  MATCH (r:Report)
  WHERE r.op IS NULL
  RETURN r AS x
  UNION ALL
  MATCH (v:LinkEvent)
  WHERE v.op IS NULL
  RETURN v AS x
}
CALL (x) {
  SET x.op = $op
} IN TRANSACTIONS OF 10000 ROWS
