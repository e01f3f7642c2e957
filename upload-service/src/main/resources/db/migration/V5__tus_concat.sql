-- tus Concatenation: a partial upload (never completed alone) and the final upload made of finished
-- partials in order. tus_concat: null | PARTIAL | FINAL; concat_parts (FINAL): the partial upload ids in
-- order, space-separated; concat_final (PARTIAL): the final upload that took it (a partial is used once).
alter table upload_session add column tus_concat varchar(7);
alter table upload_session add column concat_parts text;
alter table upload_session add column concat_final uuid;
