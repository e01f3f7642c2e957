-- Received chunks by offset: counting a chunk asks whether a received one starts where it ends, and the
-- running digest reads received chunks from its offset on. Through the primary key (upload_id, idx) each
-- such look scanned all of an upload's chunks: a 10 GiB tus upload in 5 MiB PATCHes counts 2,048 of them.
create index upload_chunk_done_offset on upload_chunk (upload_id, offset_bytes) where state = 'DONE';
