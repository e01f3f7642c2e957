-- The storyboard's WebVTT key (its sprite storyboard.jpg lies beside it) from video.transcoded; null when the
-- transcode made none (videos transcoded before storyboards).
alter table video add column storyboard_key text;
