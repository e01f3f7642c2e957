-- Shared media (dedup by content): a video uploaded again by the same owner plays the media of the earlier one
-- (media_of = that video's id, always a video with its own media). The blobs of a media root are deleted only
-- once neither the root nor any video with media_of = root is live.
alter table video add column media_of uuid;
create index video_media_of on video (media_of) where media_of is not null;
