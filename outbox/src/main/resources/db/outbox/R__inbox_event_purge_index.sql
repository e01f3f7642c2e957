-- The inbox purge (Inbox.purge, hourly) deletes the ids older than the retention: an index on the time
-- lets it find them without reading every id the table keeps. Repeatable and idempotent, so databases
-- whose services are past this folder's versions (V0_1 runs before each service's V1) get it too.
create index if not exists inbox_event_processed_at on inbox_event (processed_at);
