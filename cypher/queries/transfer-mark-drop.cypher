// A finished npm run transfer drops its resume marker.
MATCH (m:Meta {k: 'transfer'})
DELETE m
