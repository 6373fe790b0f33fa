// The stored properties (JSON) of CALLED and SIGHTED_AT links by id, before their counts are set.
UNWIND $ids AS id
CALL (id) {
  MATCH ()-[l:CALLED {id: id}]->()
  RETURN l.props AS props
  UNION
  MATCH ()-[l:SIGHTED_AT {id: id}]->()
  RETURN l.props AS props
}
RETURN id, props
