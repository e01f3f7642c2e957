-- Dedup by content: a completed upload whose whole-file SHA-256 (file_sha256) equals the one of a live earlier upload
-- of the same owner is not stored again; duplicate_of names the earlier video whose media it reuses, and its
-- reservation is committed with 0 bytes (the content is charged once). The index finds the earlier upload.
alter table upload_session add column duplicate_of uuid;
create index upload_session_content on upload_session (owner_id, file_sha256) where state = 'COMPLETED';
