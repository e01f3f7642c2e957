-- Who is receiving a WRITING chunk: the replica (its instance id; a live replica holds a PostgreSQL
-- advisory lock on it on a connection of its own, so the lock vanishes with the process) and the
-- one request's claim (only that request may count or release the chunk). A chunk whose replica
-- is gone is taken over at once; one claimed by a live request answers 409 with Retry-After.
alter table upload_chunk add column writer uuid;
alter table upload_chunk add column claim uuid;
