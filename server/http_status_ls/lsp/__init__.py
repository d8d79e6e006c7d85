"""pygls glue: the session, documents, handlers. Nothing here decides what a status code means."""
