#!/usr/bin/env bash
# Runs the benchmark of every service RUNS times (default 3), then the whole stack's memory at rest
# and under four uploads, and writes docs/benchmarks.md from the medians (BenchmarkReport.java).
# Called by `./clipflow bench [RUNS]`. Each benchmark appends key=value figures to the file named by
# CLIPFLOW_BENCH_RESULTS (dev.clipflow.testinfra.bench.BenchResults); logs go to target/bench/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUNS="${1:-3}"
OUT="$ROOT/target/bench"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rm -rf "$OUT" && mkdir -p "$OUT"

step() { printf '\n=== %s (%s, load %s)\n' "$1" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

FAILED=()

# Runs one benchmark command, its figures going to run-N.properties and its output to a log. A benchmark that
# fails is noted and the others still run: the report shows what it did not write as "not measured", and the
# script exits non-zero at the end.
bench() {
  local name=$1 run=$2; shift 2
  step "$name, run $run of $RUNS"
  printf 'load.%s=%s\n' "$name" "$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/run-$run.properties"
  CLIPFLOW_BENCH_RESULTS="$OUT/run-$run.properties" "$@" > "$OUT/$name-$run.log" 2>&1 \
    || { tail -n 60 "$OUT/$name-$run.log"; echo "bench: $name failed, see $OUT/$name-$run.log" >&2
         FAILED+=("$name-$run"); }
  grep -E '^(BENCH|[0-9]+ GiB|finalize|service|HTTP|same|three|four|  contended|tus|chunked API|floor)' "$OUT/$name-$run.log" || true
}

if [[ ${CLIPFLOW_SKIP_BUILD:-0} != 1 ]]; then
  step "build (./mvnw install -DskipTests)"
  ./mvnw -q -B install -DskipTests
fi
./mvnw -q -B -o -pl quota-service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "runs=$RUNS"
  echo "cores=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "memory=$(free -g | awk '/Mem:/ {print $2}') GB"
  echo "java=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/conditions.properties"

for run in $(seq 1 "$RUNS"); do
  bench quota "$run" "$JAVA" -cp "quota-service/target/test-classes:quota-service/target/classes:$(cat quota-service/target/bench.cp)" \
    dev.clipflow.quota.bench.ReservationBenchmark --count 20000 --http
  bench upload "$run" ./mvnw -B -o -pl upload-service verify -Dclipflow.bench=true -Dit.test=UploadBenchmark \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
  bench transcode "$run" "$ROOT/transcode-service/bench/run-benchmark.sh" 10 3 veryfast
  bench catalog "$run" ./mvnw -B -o -pl catalog-service test -Dclipflow.bench=true -Dtest=CatalogBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbench.seconds=20
done

step "whole stack: memory at rest and under four uploads"
CLIPFLOW_BENCH_RESULTS="$OUT/stack.properties" ./mvnw -B -o -pl system-tests verify -Dclipflow.bench=true \
  -Dtest=StackLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false > "$OUT/stack.log" 2>&1 \
  || { tail -n 80 "$OUT/stack.log"; echo "bench: stack failed, see $OUT/stack.log" >&2; FAILED+=(stack); }
grep -E '^(round|  at the|Clipflow stack)' "$OUT/stack.log" || true

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.properties"
echo "failed=${FAILED[*]:-}" >> "$OUT/conditions.properties"
"$JAVA" "$ROOT/system-tests/bench/BenchmarkReport.java" "$OUT" "$ROOT/docs/benchmarks.md"
step "done: docs/benchmarks.md written from $OUT"
if (( ${#FAILED[@]} )); then
  echo "bench: failed: ${FAILED[*]} (their figures show as \"not measured\"; logs in $OUT)" >&2
  exit 1
fi
