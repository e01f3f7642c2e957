-- The whole-file SHA-256 is computed as the bytes arrive: a running digest over the contiguous
-- prefix of received data (Bouncy Castle SHA256Digest encoded state, resumable on any replica).
alter table upload_session add column digest_bytes bigint not null default 0;
alter table upload_session add column digest_state bytea;
-- The SHA-256 of the whole file once known (completion); sha256 stays what the client declared.
alter table upload_session add column file_sha256 varchar(64);
-- Completion claim: whoever holds the current claim id may commit the completion; a claim whose
-- lease (completion_lease_at) is older than clipflow.upload.completion-lease is taken over.
alter table upload_session add column completion_claim uuid;
alter table upload_session add column completion_lease_at timestamptz;
create index upload_session_completing on upload_session (state, completion_lease_at);

-- A chunk is identified by a fingerprint (CRC32C, or SHA-256 when the client sent a digest) for
-- "same bytes again" detection; "<algorithm>:<hex>".
alter table upload_chunk rename column sha256 to fingerprint;
alter table upload_chunk alter column fingerprint type varchar(80);
update upload_chunk set fingerprint = 'sha-256:' || fingerprint where fingerprint is not null;
