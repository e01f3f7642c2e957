#!/usr/bin/env bash
# Ladder benchmark (not a test): the service's one-pass ladder vs one hand-written ffmpeg command
# vs separate ffmpeg runs per rendition (definitions in docs/benchmarks-transcode.md). Usage (from anywhere):
#   transcode-service/bench/run-benchmark.sh [source seconds=10] [repeats=2] [preset=veryfast] [source=camera|synthetic|both] [variants=all|playable|storyboard|audio|extras]
# (playable: only time-to-first-playable and time-to-READY with segments published while ffmpeg writes,
# against the one-pass ladder with nothing stored during the run; storyboard: only the ladder with the
# storyboard against the same ladder without it, and the storyboard's bytes; audio: only the service's ladder
# command with and without its audio-only outputs, audio.m4a and the hls/audio/ variant; extras: the ladder
# with none of the extras, with the storyboard, with the audio-only outputs, with both, and the bytes of each
# output per video)
# With CLIPFLOW_BENCH_RESULTS=<file>, key=value lines (transcode.service_s, transcode.ratio_vs_separate3, ...)
# are appended to that file besides the printed table.
set -euo pipefail
cd "$(dirname "$0")/../.."
# one reactor run: compiles the module and its siblings and writes each module's test classpath
# (sibling modules resolve to their target/classes, never to ~/.m2 snapshots)
./mvnw -q -pl transcode-service -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
CP="transcode-service/target/test-classes:transcode-service/target/classes:$(cat transcode-service/target/bench.classpath)"
exec java -cp "$CP" dev.clipflow.transcode.bench.LadderBenchmark "$@"
