-- Renditions stored before the whole ladder (video.rendition_ready): what catalog needs to build a master
-- playlist of them while the video is still PROCESSING. Cleared once the video is READY or FAILED.
alter table video add column ready_renditions jsonb;
