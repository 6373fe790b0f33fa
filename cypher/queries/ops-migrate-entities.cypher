// Operations migration, step 2: entities from before operations go into GENERAL with the properties they hold.
// Run outside a transaction, a batch at a time; an entity already migrated is left as it is.
MATCH (e:Entity)
WHERE e.ops IS NULL
CALL (e) {
  SET e.ops = [$op], e.opProps = '{"' + $op + '":' + coalesce(e.props, '{}') + '}'
} IN TRANSACTIONS OF 10000 ROWS
