// Waiting (new) pairs, all or those touching the entities numbered in $scope.
MATCH (p:DuplicateProposal {state: 'new'})
WHERE $scope IS NULL OR p.an IN $scope OR p.bn IN $scope
RETURN p.id AS id
