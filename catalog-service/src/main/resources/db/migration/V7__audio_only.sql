-- The audio-only download of a video whose source has audio (videos/{id}/audio.m4a, from video.transcoded's
-- audioKey); null for a silent source and for videos transcoded before the audio-only outputs existed.
alter table video add column audio_key varchar(1024);
