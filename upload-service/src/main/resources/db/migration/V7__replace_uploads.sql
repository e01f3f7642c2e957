-- Replacing a video's file (POST /api/videos/{id}/replace, asked by catalog-service): the session uploads the new
-- file of video `replaces` under a new media id (video_id); it holds no live file name, is never a dedup target or
-- duplicate, and its video.uploaded carries `replaces`.
alter table upload_session add column replaces uuid;
-- A video whose file was replaced is no dedup target for its old content any more (it plays the new file).
create index upload_session_replaces on upload_session (replaces) where replaces is not null;
