-- The trace context of the transaction that published an outbox row: the relay sends it as the
-- Kafka record's traceparent header, so consumers continue the publisher's trace.
alter table outbox_message add column traceparent varchar(64);
-- The trace context of the event (or request) that queued a job: the worker runs the job in a span
-- of that trace, so one upload's trace shows its transcode job.
alter table transcode_job add column traceparent varchar(64);
