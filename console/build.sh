#!/usr/bin/env bash
# Builds the web console into target/dist with the machine's npm; the Maven build (console/pom.xml)
# runs it in the compile phase. Without npm it says so and builds nothing: the stack runs without the
# console (/ answers the gateway's 404), and ConsoleTest fails on the missing build.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "[console] npm not found: the web console is NOT built. Install Node.js 20.19+ with npm to get it." >&2
  exit 0
fi
# npm ci (the exact tree of package-lock.json) only when node_modules is missing or older than the lock
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
