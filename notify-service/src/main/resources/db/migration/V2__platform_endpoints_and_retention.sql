-- Platform endpoints (an operator's integration, managed by admins): no owner, they receive the events of
-- every user. A user's endpoint keeps its owner; only admins see or change one without.
alter table webhook_endpoint alter column owner_id drop not null;
create index webhook_endpoint_platform on webhook_endpoint (created_at) where owner_id is null;

-- The retention purge deletes finished deliveries (and their attempts, by cascade) completed before the
-- retention; pending ones (status PENDING, completed_at null) are never candidates.
create index webhook_delivery_finished on webhook_delivery (completed_at) where status <> 'PENDING';
