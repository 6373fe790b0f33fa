// Every relationship in the database is a link.
MATCH ()-[l]->()
RETURN type(l) AS t, count(*) AS c
