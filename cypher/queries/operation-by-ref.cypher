MATCH (o:Operation {ref: $ref})
RETURN o {.*} AS o
