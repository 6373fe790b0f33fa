// Louvain over a projected graph, kept in the projection as `community`, with the partition's modularity.
CALL gds.louvain.mutate($name, {
  relationshipWeightProperty: $weight, maxLevels: 10, tolerance: 0.0001, mutateProperty: 'community'
})
YIELD modularity, communityCount
RETURN modularity, communityCount
